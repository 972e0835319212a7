//! `GET /proxy/configuration/api/register-fields` (not in seed 000; a route of the platform
//! the seed comes from, which lead-provider clients call before creating accounts): the
//! fields a lead account for the provider's default offer needs.

use axum::extract::State;
use brokercrm_app::App;
use brokercrm_app::distribution::lead_provider::{self as lp, RegisterField};
use brokercrm_core::Error;
use chrono::SecondsFormat;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::error::{LpErrorBody, LpResult};
use super::{LpQuery, ProviderAuth, TAG};

/// One register field.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RegisterFieldDto {
    /// Stable for the same provider, type and `demo`.
    pub uuid: String,
    pub partner_id: i64,
    /// RFC 3339 UTC (the default offer's creation, or now without one).
    #[schema(example = "2023-10-30T13:01:04.489Z")]
    pub created: String,
    #[schema(example = "2023-10-30T13:01:04.489Z")]
    pub updated: String,
    /// `FIRST_NAME`, `LAST_NAME`, `BIRTH_DATE`, `PHONE`, `COUNTRY`, `STATE`, `CITY`,
    /// `ZIP_CODE` or `STREET`.
    #[serde(rename = "type")]
    #[schema(example = "FIRST_NAME")]
    pub kind: String,
    /// The client should collect it.
    pub active: bool,
    /// As asked.
    pub demo: bool,
    pub required: bool,
}

/// The query: the caller's partner id and the account mode.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(rename_all = "camelCase")]
pub struct FieldParams {
    /// The caller's partner id (from the token response).
    partner_id: Option<i64>,
    /// Fields for demo accounts (`true`) or real ones (`false`, default); the same here.
    demo: Option<bool>,
}

/// The register fields of the caller's offer: first name, last name and phone always
/// required; any other type required when an advertiser of the provider's default offer
/// requires it (its `requiredFields`).
#[utoipa::path(
    get,
    path = "/proxy/configuration/api/register-fields",
    tag = TAG,
    summary = "Getting register fields",
    security(("BearerAuth" = [])),
    params(FieldParams),
    responses(
        (status = 200, description = "Every register-field type, in the platform's order", body = [RegisterFieldDto]),
        (status = 400, description = "`partnerId` missing or not an integer, or `demo` not a boolean", body = LpErrorBody),
        (status = 401, description = "Missing, wrong or expired token", body = LpErrorBody),
        (status = 403, description = "`partnerId` is not the token's partner", body = LpErrorBody)
    )
)]
pub async fn get_register_fields(
    State(app): State<App>,
    ProviderAuth(provider): ProviderAuth,
    LpQuery(params): LpQuery<FieldParams>,
) -> LpResult<axum::Json<Vec<RegisterFieldDto>>> {
    let partner_id = params.partner_id.ok_or_else(|| Error::field("partnerId", "is required"))?;
    let demo = params.demo.unwrap_or(false);
    let fields = lp::register_fields(&app, &provider, partner_id, demo).await?;
    Ok(axum::Json(fields.into_iter().map(dto).collect()))
}

fn dto(f: RegisterField) -> RegisterFieldDto {
    RegisterFieldDto {
        uuid: f.uuid,
        partner_id: f.partner_id,
        created: f.created.to_rfc3339_opts(SecondsFormat::Millis, true),
        updated: f.updated.to_rfc3339_opts(SecondsFormat::Millis, true),
        kind: f.kind.to_owned(),
        active: f.active,
        demo: f.demo,
        required: f.required,
    }
}
