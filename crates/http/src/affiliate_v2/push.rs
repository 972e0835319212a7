//! `POST /api/affiliates/v2/leads`: push a lead.

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use brokercrm_app::App;
use brokercrm_app::distribution::intake::{Outcome, affiliate_api, submit};
use brokercrm_core::Error;
use serde::Serialize;
use serde_json::{Value, json};
use utoipa::ToSchema;

use super::error::{AffContext, AffErrorBody, AffResult, Op, fixable};
use super::{TAG, caller};
use crate::extract::ClientIp;

/// A pushed lead (`ip` required; lead-profile keys as configured).
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct PushLeadBody {
    /// Lead's IP address.
    #[schema(example = "1.1.1.1")]
    ip: String,
    /// ISO-2 country code.
    #[schema(example = "DE")]
    country_code: Option<String>,
    /// ISO 639-1 language code.
    #[schema(example = "en")]
    lead_language: Option<String>,
    is_test: Option<bool>,
    email: Option<String>,
    first_name: Option<String>,
    last_name: Option<String>,
    password: Option<String>,
    phone: Option<String>,
    /// Your affiliate id (must match the token).
    affiliate_id: Option<String>,
    /// Offer id; the token's default offer when omitted.
    offer_id: Option<String>,
    aff_sub: Option<String>,
}

/// The lead was delivered.
#[derive(Serialize, ToSchema)]
pub struct PushLeadResponse {
    pub lead_uuid: String,
    pub auto_login_url: String,
    pub advertiser_uuid: String,
    pub advertiser_name: String,
}

/// Affiliates can push their leads using this request. Also served without the `/api` prefix
/// (`/affiliates/v2/leads`).
#[utoipa::path(
    post,
    path = "/api/affiliates/v2/leads",
    tag = TAG,
    summary = "Push leads",
    request_body(content = PushLeadBody, content_type = "application/json"),
    security(("AffiliateToken" = [])),
    responses(
        (status = 200, description = "Lead pushed", body = PushLeadResponse),
        (status = 400, description = "Lead rejected; `type`/`data.errorType` is one of the seed's error types and `data.leadUuid` names the stored lead", body = AffErrorBody),
        (status = 401, description = "Unauthorized, token isn't active, or IP not allowed", body = AffErrorBody),
        (status = 415, description = "Content type is not application/json", body = AffErrorBody),
        (status = 422, description = "Validation error (FIXABLE_INPUT)", body = AffErrorBody),
        (status = 429, description = "The same body was sent with this token within 2 minutes", body = AffErrorBody),
        (status = 500, description = "Can't create lead", body = AffErrorBody)
    )
)]
pub async fn push_lead(
    State(app): State<App>,
    ip: ClientIp,
    headers: HeaderMap,
    body: Bytes,
) -> AffResult<Response> {
    let who = caller(&app, &headers, &ip, Op::Push).await?;
    let json_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<mime::Mime>().ok())
        .is_some_and(|m| {
            m.type_() == mime::APPLICATION
                && (m.subtype() == mime::JSON || m.suffix() == Some(mime::JSON))
        });
    if !json_type {
        return Err(Error::UnsupportedMediaType).during(Op::Push);
    }
    affiliate_api::check_same_body(&app, &who, &body).await.during(Op::Push)?;
    let Ok(value) = serde_json::from_slice::<Value>(&body) else {
        return Ok(fixable("Body must be valid JSON"));
    };
    let submission = affiliate_api::parse_push(&app, &who, &value).during(Op::Push)?;
    let outcome = match submit(&app, submission).await {
        Err(Error::NotFound(_)) => {
            return Ok(fixable("Offer_id is unknown or not available to this affiliate"));
        }
        other => other.during(Op::Push)?,
    };
    Ok(match outcome {
        Outcome::Accepted {
            lead_uuid, advertiser_uuid, advertiser_name, auto_login_url, ..
        } => Json(PushLeadResponse {
            lead_uuid,
            auto_login_url: auto_login_url.unwrap_or_default(),
            advertiser_uuid,
            advertiser_name,
        })
        .into_response(),
        Outcome::Rejected { lead_uuid, error_type, message, required_fields } => {
            let body = AffErrorBody {
                name: "MoleculerError".into(),
                message: "Lead was rejected".into(),
                code: 400,
                kind: Some(error_type.as_str().into()),
                data: Some(json!({
                    "leadUuid": lead_uuid,
                    "errorMessage": message,
                    "errorType": error_type.as_str(),
                    "autoLoginUrl": "",
                    "externalLeadId": "",
                    "requiredResponseFields": required_fields,
                })),
            };
            (StatusCode::BAD_REQUEST, Json(body)).into_response()
        }
    })
}
