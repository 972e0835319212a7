//! Seed 002 tag Conversions: the configured path from a source currency to a target currency
//! (`EUR,USD,BTC`) that cross-currency amounts follow.

use axum::Json;
use axum::extract::{Path, State};
use brokercrm_app::App;
use brokercrm_app::money::fx::conversions::{self, ConversionInput, ConversionView};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{ApiResult, ErrorBody};
use crate::extract::{Auth, Json as JsonBody};

/// Body of "Create a new currency conversion".
#[derive(Deserialize, ToSchema)]
pub struct CreateConversionRequest {
    #[schema(example = "BTC")]
    pub target: String,
    #[schema(example = "EUR")]
    pub source: String,
    /// Codes from `source` to `target` separated by `,`, `>`, `->` or `→`; 1-4 legs, each with
    /// a rate in one direction.
    #[schema(example = "EUR,USD,BTC")]
    pub path: String,
}

/// Body of "Update a specific currency conversion by ID".
#[derive(Deserialize, ToSchema)]
pub struct UpdateConversionRequest {
    /// The new path; absent changes nothing.
    #[schema(example = "EUR,GBP,BTC")]
    pub path: Option<String>,
}

/// `{"success": true}`.
#[derive(Serialize, ToSchema)]
pub struct ConversionDeleted {
    pub success: bool,
}

/// Lists conversions by id (ReadExchangeRates).
#[utoipa::path(
    get,
    path = "/api/conversions",
    tag = "Conversions",
    summary = "List all currency conversions",
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "Conversions", body = [ConversionView]),
        (status = 403, description = "Missing ReadExchangeRates permission", body = ErrorBody)
    )
)]
pub async fn list_conversions(
    State(app): State<App>,
    Auth(actor): Auth,
) -> ApiResult<Json<Vec<ConversionView>>> {
    let list = conversions::list(&app, &actor).await?;
    Ok(Json(list.into_iter().collect()))
}

/// Configures the path of a currency pair (ManageExchangeRates; audited).
#[utoipa::path(
    post,
    path = "/api/conversions",
    tag = "Conversions",
    summary = "Create a new currency conversion",
    request_body = CreateConversionRequest,
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "Created", body = ConversionView),
        (status = 403, description = "Missing ManageExchangeRates permission", body = ErrorBody),
        (status = 409, description = "The pair already has a conversion", body = ErrorBody),
        (status = 422, description = "Invalid `source`, `target` or `path` (or a leg without a rate)", body = ErrorBody)
    )
)]
pub async fn create_conversion(
    State(app): State<App>,
    Auth(actor): Auth,
    JsonBody(b): JsonBody<CreateConversionRequest>,
) -> ApiResult<Json<ConversionView>> {
    let input = ConversionInput { target: b.target, source: b.source, path: b.path };
    Ok(Json(conversions::create(&app, &actor, input).await?))
}

/// Returns one conversion (ReadExchangeRates).
#[utoipa::path(
    get,
    path = "/api/conversions/{id}",
    tag = "Conversions",
    summary = "Get a specific currency conversion by ID",
    params(("id" = String, Path, description = "Conversion id")),
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "The conversion", body = ConversionView),
        (status = 403, description = "Missing ReadExchangeRates permission", body = ErrorBody),
        (status = 404, description = "No such conversion", body = ErrorBody)
    )
)]
pub async fn get_conversion(
    State(app): State<App>,
    Auth(actor): Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<ConversionView>> {
    Ok(Json(conversions::get(&app, &actor, &id).await?))
}

/// Replaces a conversion's path (ManageExchangeRates; audited).
#[utoipa::path(
    put,
    path = "/api/conversions/{id}",
    tag = "Conversions",
    summary = "Update a specific currency conversion by ID",
    params(("id" = String, Path, description = "Conversion id")),
    request_body = UpdateConversionRequest,
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "Updated", body = ConversionView),
        (status = 403, description = "Missing ManageExchangeRates permission", body = ErrorBody),
        (status = 404, description = "No such conversion", body = ErrorBody),
        (status = 422, description = "Invalid `path` (or a leg without a rate)", body = ErrorBody)
    )
)]
pub async fn update_conversion(
    State(app): State<App>,
    Auth(actor): Auth,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<UpdateConversionRequest>,
) -> ApiResult<Json<ConversionView>> {
    Ok(Json(conversions::update(&app, &actor, &id, b.path).await?))
}

/// Deletes a conversion (ManageExchangeRates; audited).
#[utoipa::path(
    delete,
    path = "/api/conversions/{id}",
    tag = "Conversions",
    summary = "Delete a specific currency conversion by ID",
    params(("id" = String, Path, description = "Conversion id")),
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "Deleted", body = ConversionDeleted),
        (status = 403, description = "Missing ManageExchangeRates permission", body = ErrorBody),
        (status = 404, description = "No such conversion", body = ErrorBody)
    )
)]
pub async fn delete_conversion(
    State(app): State<App>,
    Auth(actor): Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<ConversionDeleted>> {
    conversions::delete(&app, &actor, &id).await?;
    Ok(Json(ConversionDeleted { success: true }))
}

pub fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new().routes(routes!(list_conversions, create_conversion)).routes(routes!(
        get_conversion,
        update_conversion,
        delete_conversion
    ))
}
