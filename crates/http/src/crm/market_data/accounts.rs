//! Market-data accounts as staff see them: the list and one account with its subscriptions,
//! signed agreements and history.

use axum::extract::{Path, State};
use brokercrm_app::App;
use brokercrm_app::market_data::admin_accounts;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::tag::TAG;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{Auth, Query};

/// Filter and page of the account list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(rename_all = "camelCase")]
pub struct MarketDataAccountQuery {
    /// Only this application's accounts.
    pub application_id: Option<String>,
    /// Only accounts whose e-mail contains this (any case).
    pub email: Option<String>,
    /// Rows to skip (default 0).
    pub offset: Option<u64>,
    /// Rows to return (default 100, at most 500).
    pub limit: Option<u64>,
}

/// An account in the list.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MarketDataAccountDto {
    pub id: String,
    pub application_id: String,
    pub email: String,
    pub allowed_statuses: String,
    /// What the questionnaire decided, once answered.
    pub subscriber_status: Option<String>,
    pub profile_completed_at: Option<String>,
    /// The market-data login, once generated.
    pub login: Option<String>,
    /// Whether the e-mail belongs to one of our customers.
    pub customer_linked: bool,
    pub created_at: String,
}

/// A subscription of the account.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MarketDataAccountSubscription {
    pub name: String,
    pub status: String,
    pub expires_at: Option<String>,
}

/// An agreement the account signed.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MarketDataSignedAgreement {
    pub title: String,
    pub version: String,
    pub text: String,
    pub ip: Option<String>,
    pub signed_at: String,
}

/// One history entry.
#[derive(Debug, Serialize, ToSchema)]
pub struct MarketDataHistoryEntry {
    pub kind: String,
    pub details: String,
    pub at: String,
}

/// One account in full.
#[derive(Debug, Serialize, ToSchema)]
pub struct MarketDataAccountDetail {
    pub account: MarketDataAccountDto,
    pub subscriptions: Vec<MarketDataAccountSubscription>,
    pub agreements: Vec<MarketDataSignedAgreement>,
    pub history: Vec<MarketDataHistoryEntry>,
}

fn dto(
    a: brokercrm_app::market_data::admin_accounts::AccountRowView,
    application_id: String,
) -> MarketDataAccountDto {
    MarketDataAccountDto {
        id: a.uuid,
        application_id,
        email: a.email,
        allowed_statuses: a.allowed_statuses,
        subscriber_status: a.subscriber_status,
        profile_completed_at: a.profile_completed_at.map(|t| t.to_rfc3339()),
        login: a.login,
        customer_linked: a.customer_user_id.is_some(),
        created_at: a.created_at.to_rfc3339(),
    }
}

/// Lists accounts (ReadMarketData).
#[utoipa::path(
    get, path = "/api/market-data-entitlements/accounts", tag = TAG, summary = "List market-data accounts",
    security(("BearerAuth" = [])),
    params(MarketDataAccountQuery),
    responses(
        (status = 200, description = "Accounts, oldest first", body = [MarketDataAccountDto]),
        (status = 403, description = "Not allowed", body = ErrorBody),
        (status = 422, description = "Unknown `applicationId`, bad `offset` or `limit`", body = ErrorBody)
    )
)]
pub async fn list_market_data_accounts(
    State(app): State<App>,
    Auth(p): Auth,
    Query(q): Query<MarketDataAccountQuery>,
) -> ApiResult<axum::Json<Vec<MarketDataAccountDto>>> {
    let query = admin_accounts::AccountQuery {
        application: q.application_id.as_deref(),
        email: q.email.as_deref(),
    };
    let page = admin_accounts::list(&app, &p, query, q.offset.unwrap_or(0), q.limit.unwrap_or(100))
        .await?;
    Ok(axum::Json(page.rows.into_iter().map(|(a, app_id)| dto(a, app_id)).collect()))
}

/// One account with its subscriptions, agreements and history (ReadMarketData).
#[utoipa::path(
    get, path = "/api/market-data-entitlements/accounts/{id}", tag = TAG, summary = "Get a market-data account",
    security(("BearerAuth" = [])),
    params(("id" = String, Path, description = "Account id")),
    responses(
        (status = 200, description = "The account", body = MarketDataAccountDetail),
        (status = 403, description = "Not allowed", body = ErrorBody),
        (status = 404, description = "No such account", body = ErrorBody)
    )
)]
pub async fn get_market_data_account(
    State(app): State<App>,
    Auth(p): Auth,
    Path(id): Path<String>,
) -> ApiResult<axum::Json<MarketDataAccountDetail>> {
    let d = admin_accounts::get(&app, &p, &id).await?;
    Ok(axum::Json(MarketDataAccountDetail {
        account: dto(d.account, d.application_id),
        subscriptions: d
            .subscriptions
            .into_iter()
            .map(|s| MarketDataAccountSubscription {
                name: s.name,
                status: if s.active { "ACTIVE" } else { "EXPIRED" }.into(),
                expires_at: s.expires_at.map(|e| e.to_rfc3339()),
            })
            .collect(),
        agreements: d
            .agreements
            .into_iter()
            .map(|a| MarketDataSignedAgreement {
                title: a.title,
                version: a.version,
                text: a.text,
                ip: a.ip,
                signed_at: a.signed_at.to_rfc3339(),
            })
            .collect(),
        history: d
            .history
            .into_iter()
            .map(|h| MarketDataHistoryEntry {
                kind: h.kind,
                details: h.details,
                at: h.at.to_rfc3339(),
            })
            .collect(),
    }))
}

pub fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .routes(routes!(list_market_data_accounts))
        .routes(routes!(get_market_data_account))
}
