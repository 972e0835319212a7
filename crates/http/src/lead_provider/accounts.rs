//! `POST /proxy/processing/api/accounts` (seed 000 "Creating lead"): create a lead account
//! for an offer; the lead goes through intake and the offer's rotation.

use axum::extract::State;
use axum::http::StatusCode;
use brokercrm_app::App;
use brokercrm_app::distribution::lead_provider::{self as lp, AccountError, NewAccount};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::error::{LpError, LpErrorBody, LpResult};
use super::{LpJson, ProviderAuth, TAG};
use crate::extract::ClientIp;

/// The request body of the seed.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CreateAccountRequest {
    /// The offer the lead is for; empty or missing: the provider's default offer (the one
    /// default offer of its affiliate API tokens), else a 400.
    #[serde(default)]
    pub offer_uuid: String,
    pub account: AccountBody,
}

/// The lead's account data.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AccountBody {
    /// The provider's partner id (from the token response); must be the token's.
    pub partner_id: i64,
    #[schema(example = "email@here")]
    pub email: String,
    /// First name, 1-100 characters.
    pub name: String,
    /// Last name, 1-100 characters.
    pub surname: String,
    /// 6 to 15 digits, optional leading `+`.
    #[schema(example = "123456789")]
    pub phone: String,
    #[serde(default)]
    pub lead_info: Option<LeadInfo>,
}

/// Where the lead came from.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct LeadInfo {
    /// Free text, at most 255 characters.
    #[schema(example = "Test Offer|testoffer.com|Test Description |a12dd0a66a")]
    pub lead_source: Option<String>,
}

/// A created lead account.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CreatedAccountResponse {
    /// The lead's UUID.
    pub uuid: String,
    pub email: String,
    pub partner_id: i64,
    pub offer_uuid: String,
    /// Always `ACCEPTED` (a lead no advertiser takes is a 400).
    #[schema(example = "ACCEPTED")]
    pub status: String,
    /// Where the lead can log in, when the advertiser gave one.
    pub auto_login_url: Option<String>,
    /// The advertiser (brand) that took the lead.
    pub advertiser_name: String,
}

/// Creates a lead account for an offer. The lead is stored, then routed through the offer's
/// rotation; the answer waits for the routing outcome.
#[utoipa::path(
    post,
    path = "/proxy/processing/api/accounts",
    tag = TAG,
    summary = "Creating lead",
    security(("BearerAuth" = [])),
    request_body = CreateAccountRequest,
    responses(
        (status = 200, description = "Lead accepted by an advertiser", body = CreatedAccountResponse),
        (status = 400, description = "Invalid body (the message names the field, e.g. `account.leadInfo.leadSource` over 255 characters), or the lead was rejected (`<ERROR_TYPE>: <reason> (lead <uuid>)`)", body = LpErrorBody),
        (status = 401, description = "Missing, wrong or expired token", body = LpErrorBody),
        (status = 404, description = "Unknown offer: `Entity not found: offer <uuid>`", body = LpErrorBody),
        (status = 409, description = "`Account [<email>:<partnerId>] already exists`", body = LpErrorBody),
        (status = 413, description = "Body too large", body = LpErrorBody),
        (status = 415, description = "Body is not JSON", body = LpErrorBody),
        (status = 500, description = "`partnerId` is not the token's: `Register Account Model is not valid`", body = LpErrorBody)
    )
)]
pub async fn create_account(
    State(app): State<App>,
    ProviderAuth(provider): ProviderAuth,
    ip: ClientIp,
    LpJson(b): LpJson<CreateAccountRequest>,
) -> LpResult<axum::Json<CreatedAccountResponse>> {
    let offer_uuid = b.offer_uuid.clone();
    let req = NewAccount {
        offer_uuid: b.offer_uuid,
        partner_id: b.account.partner_id,
        email: b.account.email,
        name: b.account.name,
        surname: b.account.surname,
        phone: b.account.phone,
        lead_source: b.account.lead_info.and_then(|i| i.lead_source),
        ip: ip.0,
    };
    match lp::create_account(&app, &provider, req).await {
        Ok(c) => Ok(axum::Json(CreatedAccountResponse {
            uuid: c.lead_uuid,
            email: c.email,
            partner_id: c.partner_id,
            offer_uuid: c.offer_uuid,
            status: "ACCEPTED".into(),
            auto_login_url: c.auto_login_url,
            advertiser_name: c.advertiser_name,
        })),
        Err(e) => Err(failure(e, &offer_uuid)),
    }
}

/// The seed's answer to each refusal.
fn failure(e: AccountError, offer_uuid: &str) -> LpError {
    match e {
        AccountError::PartnerMismatch => {
            LpError::new(StatusCode::INTERNAL_SERVER_ERROR, "Register Account Model is not valid")
        }
        AccountError::OfferNotFound => {
            LpError::new(StatusCode::NOT_FOUND, format!("Entity not found: offer {offer_uuid}"))
        }
        AccountError::AlreadyExists { email, partner_id } => LpError::new(
            StatusCode::CONFLICT,
            format!("Account [{email}:{partner_id}] already exists"),
        ),
        AccountError::Rejected { lead_uuid, error_type, message } => LpError::new(
            StatusCode::BAD_REQUEST,
            format!("{}: {message} (lead {lead_uuid})", error_type.as_str()),
        ),
        AccountError::Other(e) => e.into(),
    }
}
