//! An offer's rotation: which advertisers take its leads, by priority and weight; replaced
//! as a whole.

use axum::extract::{Path, State};
use brokercrm_app::App;
use brokercrm_app::distribution::rotations::{self, RotationEntryInput, RotationEntryView};
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{ApiResult, ErrorBody};
use crate::extract::{Auth, Json};

/// One advertiser of a rotation as sent.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RotationEntryRequest {
    pub advertiser_uuid: String,
    /// 0-1000 (default 0).
    #[serde(default)]
    pub priority: i64,
    /// 1-1000 (default 1).
    #[serde(default = "one")]
    pub weight: i64,
    /// Default true.
    #[serde(default = "yes")]
    pub active: bool,
}

fn one() -> i64 {
    1
}

fn yes() -> bool {
    true
}

/// The offer's rotation by priority (ReadLeadDistribution).
#[utoipa::path(
    get, path = "/api/lead-distribution/offers/{uuid}/rotation", tag = "Lead Distribution",
    summary = "Get offer rotation",
    params(("uuid" = String, Path, description = "Public id of the offer")),
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "The rotation", body = [RotationEntryView]),
        (status = 403, description = "Not allowed", body = ErrorBody),
        (status = 404, description = "Unknown offer", body = ErrorBody)
    )
)]
pub async fn get_rotation(
    State(app): State<App>,
    Auth(p): Auth,
    Path(uuid): Path<String>,
) -> ApiResult<axum::Json<Vec<RotationEntryView>>> {
    let rows = rotations::get(&app, &p, &uuid).await?;
    Ok(axum::Json(rows))
}

/// Replaces the offer's whole rotation in one transaction (ManageLeadDistribution); unknown
/// or repeated advertisers are named as `[i].advertiserUuid`. Audited.
#[utoipa::path(
    put, path = "/api/lead-distribution/offers/{uuid}/rotation", tag = "Lead Distribution",
    summary = "Set offer rotation",
    params(("uuid" = String, Path, description = "Public id of the offer")),
    request_body = Vec<RotationEntryRequest>,
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "The new rotation", body = [RotationEntryView]),
        (status = 403, description = "Not allowed", body = ErrorBody),
        (status = 404, description = "Unknown offer", body = ErrorBody),
        (status = 422, description = "Invalid entry", body = ErrorBody)
    )
)]
pub async fn set_rotation(
    State(app): State<App>,
    Auth(p): Auth,
    Path(uuid): Path<String>,
    Json(b): Json<Vec<RotationEntryRequest>>,
) -> ApiResult<axum::Json<Vec<RotationEntryView>>> {
    let input = b
        .into_iter()
        .map(|e| RotationEntryInput {
            advertiser_uuid: e.advertiser_uuid,
            priority: e.priority,
            weight: e.weight,
            active: e.active,
        })
        .collect();
    let rows = rotations::replace(&app, &p, &uuid, input).await?;
    Ok(axum::Json(rows))
}

pub fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new().routes(routes!(get_rotation, set_rotation))
}
