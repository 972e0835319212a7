//! Seed 002 tags Max Risks and Position Durations (2 operations each): the NEO platform's
//! maximum risks (percent of the invested amount) and position durations (seconds) with their
//! defaults. Anyone signed in reads; ManageInstruments updates (audited).

use axum::Json;
use axum::extract::State;
use brokercrm_app::App;
use brokercrm_app::trading::choices::{self, Choices};
use brokercrm_core::trading::choices::Kind;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize, Serializer};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{ApiResult, ErrorBody};
use crate::extract::{Auth, Json as JsonBody};

fn numbers<S: Serializer>(ds: &[Decimal], s: S) -> Result<S::Ok, S::Error> {
    let fs: Vec<f64> = ds.iter().map(|d| d.to_string().parse().unwrap_or_default()).collect();
    fs.serialize(s)
}

fn number<S: Serializer>(d: &Decimal, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_f64(d.to_string().parse().unwrap_or_default())
}

/// Body of both updates.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ChoicesRequest {
    /// Comma-separated values (`"10,25,50"`).
    #[schema(example = "10,25,50")]
    pub value: String,
    /// One of `value`.
    #[schema(example = "25")]
    pub default_value: String,
}

/// `{"maxRisks": [...], "defaultValue": 50}`.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MaxRisksResponse {
    /// Percent of the invested amount.
    #[serde(serialize_with = "numbers")]
    #[schema(value_type = Vec<f64>, example = json!([10, 25, 50]))]
    pub max_risks: Vec<Decimal>,
    #[serde(serialize_with = "number")]
    #[schema(value_type = f64, example = 25)]
    pub default_value: Decimal,
}

/// `{"positionDurations": [...], "defaultValue": "3600"}` (seconds; the seed's default is a
/// string).
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PositionDurationsResponse {
    /// Seconds after which a position closes itself.
    #[serde(serialize_with = "numbers")]
    #[schema(value_type = Vec<f64>, example = json!([60, 3600]))]
    pub position_durations: Vec<Decimal>,
    #[schema(example = "3600")]
    pub default_value: String,
}

fn risks(c: Choices) -> MaxRisksResponse {
    MaxRisksResponse { max_risks: c.values, default_value: c.default }
}

fn durations(c: Choices) -> PositionDurationsResponse {
    PositionDurationsResponse { position_durations: c.values, default_value: c.default.to_string() }
}

/// The maximum risks a NEO client may choose, and the default (anyone signed in).
#[utoipa::path(
    get, path = "/api/max-risks", tag = "Max Risks", summary = "Get maximum risk configurations",
    security(("BearerAuth" = [])),
    responses((status = 200, description = "The list", body = MaxRisksResponse))
)]
pub async fn get_max_risks(
    State(app): State<App>,
    Auth(_actor): Auth,
) -> ApiResult<Json<MaxRisksResponse>> {
    Ok(Json(risks(choices::get(&app, Kind::MaxRisk).await?)))
}

/// Replaces the maximum risks (ManageInstruments; audited).
#[utoipa::path(
    put, path = "/api/max-risks", tag = "Max Risks", summary = "Update maximum risk configurations",
    request_body = ChoicesRequest,
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "The new list", body = MaxRisksResponse),
        (status = 403, description = "Missing ManageInstruments", body = ErrorBody),
        (status = 422, description = "A bad `value` or `defaultValue`", body = ErrorBody)
    )
)]
pub async fn update_max_risks(
    State(app): State<App>,
    Auth(actor): Auth,
    JsonBody(b): JsonBody<ChoicesRequest>,
) -> ApiResult<Json<MaxRisksResponse>> {
    let c = choices::put(&app, &actor, Kind::MaxRisk, &b.value, &b.default_value).await?;
    Ok(Json(risks(c)))
}

/// The durations a NEO client may choose, and the default (anyone signed in).
#[utoipa::path(
    get, path = "/api/position-durations", tag = "Position Durations",
    summary = "Get trading position durations",
    security(("BearerAuth" = [])),
    responses((status = 200, description = "The list", body = PositionDurationsResponse))
)]
pub async fn get_position_durations(
    State(app): State<App>,
    Auth(_actor): Auth,
) -> ApiResult<Json<PositionDurationsResponse>> {
    Ok(Json(durations(choices::get(&app, Kind::Duration).await?)))
}

/// Replaces the durations (ManageInstruments; audited).
#[utoipa::path(
    put, path = "/api/position-durations", tag = "Position Durations",
    summary = "Update trading position durations",
    request_body = ChoicesRequest,
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "The new list", body = PositionDurationsResponse),
        (status = 403, description = "Missing ManageInstruments", body = ErrorBody),
        (status = 422, description = "A bad `value` or `defaultValue`", body = ErrorBody)
    )
)]
pub async fn update_position_durations(
    State(app): State<App>,
    Auth(actor): Auth,
    JsonBody(b): JsonBody<ChoicesRequest>,
) -> ApiResult<Json<PositionDurationsResponse>> {
    let c = choices::put(&app, &actor, Kind::Duration, &b.value, &b.default_value).await?;
    Ok(Json(durations(c)))
}

pub fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .routes(routes!(get_max_risks, update_max_risks))
        .routes(routes!(get_position_durations, update_position_durations))
}
