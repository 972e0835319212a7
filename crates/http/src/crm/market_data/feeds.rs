//! Market-data feeds: create, list, update, delete.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use brokercrm_app::App;
use brokercrm_app::market_data::feeds::{self, FeedInput, FeedView};
use brokercrm_core::Error;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::tag::TAG;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{Auth, Json, Query};
use crate::paging::PageQuery;

/// A feed as sent.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MarketDataFeedRequest {
    /// What applications ask for (stored upper case): letters, digits, `_`, `-`, `.`.
    #[schema(example = "CMEGROUP")]
    pub name: Option<String>,
    /// The QD filters a token of a subscriber carries (`details`).
    #[schema(example = json!(["CMEGROUP", "CME"]))]
    pub qd_filters: Option<Vec<String>>,
    /// Activation waits for the application's confirmation (when the application requires
    /// confirmations too).
    pub needs_confirmation: Option<bool>,
    /// An account can activate it once in a lifetime.
    pub single_use: Option<bool>,
    /// `ALL` (default), `PROFESSIONAL` or `NON_PROFESSIONAL`.
    pub allowed_statuses: Option<String>,
    /// Days a subscription lasts when the activation gives no end date; none: no end.
    pub default_days: Option<i32>,
    pub agreement_title: Option<String>,
    pub agreement_text: Option<String>,
    /// A new version makes subscribers sign again on their next activation.
    #[schema(example = "2026-01")]
    pub agreement_version: Option<String>,
}

impl From<MarketDataFeedRequest> for FeedInput {
    fn from(b: MarketDataFeedRequest) -> Self {
        Self {
            name: b.name,
            qd_filters: b.qd_filters,
            needs_confirmation: b.needs_confirmation,
            single_use: b.single_use,
            allowed_statuses: b.allowed_statuses,
            default_days: b.default_days,
            agreement_title: b.agreement_title,
            agreement_text: b.agreement_text,
            agreement_version: b.agreement_version,
        }
    }
}

/// A feed.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MarketDataFeedDto {
    pub id: i64,
    pub name: String,
    pub qd_filters: Vec<String>,
    pub needs_confirmation: bool,
    pub single_use: bool,
    pub allowed_statuses: String,
    pub default_days: Option<i32>,
    pub agreement_title: String,
    pub agreement_text: String,
    pub agreement_version: String,
}

impl From<FeedView> for MarketDataFeedDto {
    fn from(v: FeedView) -> Self {
        Self {
            id: v.id,
            name: v.name,
            qd_filters: v.qd_filters,
            needs_confirmation: v.needs_confirmation,
            single_use: v.single_use,
            allowed_statuses: v.allowed_statuses,
            default_days: v.default_days,
            agreement_title: v.agreement_title,
            agreement_text: v.agreement_text,
            agreement_version: v.agreement_version,
        }
    }
}

fn id_of(raw: &str) -> Result<i64, Error> {
    raw.trim().parse::<i64>().map_err(|_| Error::field("id", "must be an integer"))
}

/// Creates a feed (ManageMarketData). Audited.
#[utoipa::path(
    post, path = "/api/market-data-entitlements/feeds", tag = TAG, summary = "Create a market-data feed",
    security(("BearerAuth" = [])),
    request_body = MarketDataFeedRequest,
    responses(
        (status = 201, description = "Created", body = MarketDataFeedDto),
        (status = 403, description = "Not allowed", body = ErrorBody),
        (status = 409, description = "A feed of that name exists", body = ErrorBody),
        (status = 422, description = "An invalid field, named", body = ErrorBody)
    )
)]
pub async fn create_market_data_feed(
    State(app): State<App>,
    Auth(p): Auth,
    Json(b): Json<MarketDataFeedRequest>,
) -> ApiResult<(StatusCode, axum::Json<MarketDataFeedDto>)> {
    Ok((StatusCode::CREATED, axum::Json(feeds::create(&app, Some(&p), &b.into()).await?.into())))
}

/// Lists feeds (ReadMarketData).
#[utoipa::path(
    get, path = "/api/market-data-entitlements/feeds", tag = TAG, summary = "List market-data feeds",
    security(("BearerAuth" = [])),
    params(PageQuery),
    responses(
        (status = 200, description = "Feeds by id", body = [MarketDataFeedDto]),
        (status = 403, description = "Not allowed", body = ErrorBody),
        (status = 422, description = "Bad `offset` or `limit`", body = ErrorBody)
    )
)]
pub async fn list_market_data_feeds(
    State(app): State<App>,
    Auth(p): Auth,
    Query(q): Query<PageQuery>,
) -> ApiResult<axum::Json<Vec<MarketDataFeedDto>>> {
    let (offset, limit) = q.get();
    Ok(axum::Json(
        feeds::list(&app, &p, offset, limit).await?.into_iter().map(Into::into).collect(),
    ))
}

/// Replaces a feed's fields (ManageMarketData). Audited.
#[utoipa::path(
    put, path = "/api/market-data-entitlements/feeds/{id}", tag = TAG, summary = "Update a market-data feed",
    security(("BearerAuth" = [])),
    params(("id" = i64, Path, description = "Feed id")),
    request_body = MarketDataFeedRequest,
    responses(
        (status = 200, description = "Updated", body = MarketDataFeedDto),
        (status = 403, description = "Not allowed", body = ErrorBody),
        (status = 404, description = "No such feed", body = ErrorBody),
        (status = 409, description = "A feed of that name exists", body = ErrorBody),
        (status = 422, description = "An invalid field, named", body = ErrorBody)
    )
)]
pub async fn update_market_data_feed(
    State(app): State<App>,
    Auth(p): Auth,
    Path(id): Path<String>,
    Json(b): Json<MarketDataFeedRequest>,
) -> ApiResult<axum::Json<MarketDataFeedDto>> {
    Ok(axum::Json(feeds::update(&app, &p, id_of(&id)?, &b.into()).await?.into()))
}

/// Deletes a feed nobody ever subscribed to (ManageMarketData). Audited.
#[utoipa::path(
    delete, path = "/api/market-data-entitlements/feeds/{id}", tag = TAG, summary = "Delete a market-data feed",
    security(("BearerAuth" = [])),
    params(("id" = i64, Path, description = "Feed id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 403, description = "Not allowed", body = ErrorBody),
        (status = 404, description = "No such feed", body = ErrorBody),
        (status = 409, description = "Accounts hold subscriptions to it", body = ErrorBody),
        (status = 422, description = "Invalid `id`", body = ErrorBody)
    )
)]
pub async fn delete_market_data_feed(
    State(app): State<App>,
    Auth(p): Auth,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    feeds::delete(&app, &p, id_of(&id)?).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .routes(routes!(list_market_data_feeds, create_market_data_feed))
        .routes(routes!(update_market_data_feed, delete_market_data_feed))
}
