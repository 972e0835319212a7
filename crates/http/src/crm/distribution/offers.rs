//! Offers (funnels): what affiliates send traffic to by the offer's integer `id`, open to
//! every affiliate or reserved for one, with the rotation mode of their advertisers.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use brokercrm_app::App;
use brokercrm_app::distribution::offers::{self, OfferInput, OfferPatch, OfferView};
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::wire::{PageQuery, nullable};
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{Auth, Json, StrictQuery};

/// Body of "Create offer".
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CreateOffer {
    /// 1-200 characters.
    #[schema(example = "Crypto DE")]
    pub name: String,
    /// Public id of an affiliate-role user; absent: open to all.
    pub affiliate_id: Option<String>,
    /// `priority` (default) or `weighted`.
    pub rotation_mode: Option<String>,
    pub lead_source: Option<String>,
    pub funnel_name: Option<String>,
    /// An absolute http(s) URL.
    pub funnel_url: Option<String>,
    /// ISO 639-1, e.g. `de`.
    pub funnel_language: Option<String>,
    /// Default true.
    pub active: Option<bool>,
}

/// Body of "Update offer": omitted fields stay unchanged; `null` clears a nullable one.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UpdateOffer {
    pub name: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub affiliate_id: Option<Option<String>>,
    pub rotation_mode: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub lead_source: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub funnel_name: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub funnel_url: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub funnel_language: Option<Option<String>>,
    pub active: Option<bool>,
}

/// Lists offers by id (ReadLeadDistribution).
#[utoipa::path(
    get, path = "/api/lead-distribution/offers", tag = "Lead Distribution",
    summary = "List offers",
    params(PageQuery),
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "Offers", body = [OfferView]),
        (status = 403, description = "Not allowed", body = ErrorBody),
        (status = 422, description = "Bad `limit` or `offset`", body = ErrorBody)
    )
)]
pub async fn list_offers(
    State(app): State<App>,
    Auth(p): Auth,
    StrictQuery(q): StrictQuery<PageQuery>,
) -> ApiResult<axum::Json<Vec<OfferView>>> {
    let page = q.page()?;
    Ok(axum::Json(offers::list(&app, &p, page).await?.into_iter().collect()))
}

/// Creates an offer (ManageLeadDistribution). Audited.
#[utoipa::path(
    post, path = "/api/lead-distribution/offers", tag = "Lead Distribution",
    summary = "Create offer",
    request_body = CreateOffer,
    security(("BearerAuth" = [])),
    responses(
        (status = 201, description = "Created", body = OfferView),
        (status = 403, description = "Not allowed", body = ErrorBody),
        (status = 422, description = "Invalid field", body = ErrorBody)
    )
)]
pub async fn create_offer(
    State(app): State<App>,
    Auth(p): Auth,
    Json(b): Json<CreateOffer>,
) -> ApiResult<(StatusCode, axum::Json<OfferView>)> {
    let input = OfferInput {
        name: b.name,
        affiliate_id: b.affiliate_id,
        rotation_mode: b.rotation_mode,
        lead_source: b.lead_source,
        funnel_name: b.funnel_name,
        funnel_url: b.funnel_url,
        funnel_language: b.funnel_language,
        active: b.active,
    };
    Ok((StatusCode::CREATED, axum::Json(offers::create(&app, &p, input).await?)))
}

/// One offer (ReadLeadDistribution).
#[utoipa::path(
    get, path = "/api/lead-distribution/offers/{uuid}", tag = "Lead Distribution",
    summary = "Get offer",
    params(("uuid" = String, Path, description = "Public id of the offer")),
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "The offer", body = OfferView),
        (status = 403, description = "Not allowed", body = ErrorBody),
        (status = 404, description = "Unknown offer", body = ErrorBody)
    )
)]
pub async fn get_offer(
    State(app): State<App>,
    Auth(p): Auth,
    Path(uuid): Path<String>,
) -> ApiResult<axum::Json<OfferView>> {
    Ok(axum::Json(offers::get(&app, &p, &uuid).await?))
}

/// Changes the fields sent (ManageLeadDistribution). Audited.
#[utoipa::path(
    patch, path = "/api/lead-distribution/offers/{uuid}", tag = "Lead Distribution",
    summary = "Update offer",
    params(("uuid" = String, Path, description = "Public id of the offer")),
    request_body = UpdateOffer,
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "Updated", body = OfferView),
        (status = 403, description = "Not allowed", body = ErrorBody),
        (status = 404, description = "Unknown offer", body = ErrorBody),
        (status = 422, description = "Invalid field", body = ErrorBody)
    )
)]
pub async fn update_offer(
    State(app): State<App>,
    Auth(p): Auth,
    Path(uuid): Path<String>,
    Json(b): Json<UpdateOffer>,
) -> ApiResult<axum::Json<OfferView>> {
    let patch = OfferPatch {
        name: b.name,
        affiliate_id: b.affiliate_id,
        rotation_mode: b.rotation_mode,
        lead_source: b.lead_source,
        funnel_name: b.funnel_name,
        funnel_url: b.funnel_url,
        funnel_language: b.funnel_language,
        active: b.active,
    };
    Ok(axum::Json(offers::update(&app, &p, &uuid, patch).await?))
}

/// Deletes an offer with its rotation, caps and country blocks; leads keep their history
/// (ManageLeadDistribution). Audited.
#[utoipa::path(
    delete, path = "/api/lead-distribution/offers/{uuid}", tag = "Lead Distribution",
    summary = "Delete offer",
    params(("uuid" = String, Path, description = "Public id of the offer")),
    security(("BearerAuth" = [])),
    responses(
        (status = 204, description = "Deleted"),
        (status = 403, description = "Not allowed", body = ErrorBody),
        (status = 404, description = "Unknown offer", body = ErrorBody)
    )
)]
pub async fn delete_offer(
    State(app): State<App>,
    Auth(p): Auth,
    Path(uuid): Path<String>,
) -> ApiResult<StatusCode> {
    offers::delete(&app, &p, &uuid).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new().routes(routes!(list_offers, create_offer)).routes(routes!(
        get_offer,
        update_offer,
        delete_offer
    ))
}
