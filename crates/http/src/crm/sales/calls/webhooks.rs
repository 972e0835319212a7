//! The providers' call webhooks: `Authorization: Bearer <webhook secret>` (or `?token=` from
//! the request URL); a replayed event answers success and changes nothing.

use axum::extract::{Request, State};
use axum::http::HeaderMap;
use brokercrm_app::App;
use brokercrm_app::sales::calls::webhooks::{self, CoperatoEvent, VoisoEvent};
use brokercrm_core::sales::calls::Provider;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use utoipa::ToSchema;

use super::dto::SuccessDto;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::parse_query;
use crate::extract::{body_bytes, parse_json};

/// A Coperato call event.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CoperatoWebhook {
    /// `RINGING`, `ANSWERED` or `END`.
    #[schema(example = "RINGING")]
    pub status: Option<String>,
    /// Seconds.
    pub duration: Option<f64>,
    /// Our call id (sent when the call was started).
    pub guid: Option<String>,
    /// The recording's URL or file name.
    pub recording_file: Option<String>,
}

/// A Voiso call outcome.
#[derive(Debug, Deserialize, ToSchema)]
pub struct VoisoWebhook {
    /// `answered`, `no_answer`, `busy` or `failed`.
    #[schema(example = "answered")]
    pub disposition: Option<String>,
    /// Seconds.
    pub duration: Option<f64>,
    /// Our call id (sent when the call was started).
    pub account_id: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
struct TokenQuery {
    token: Option<String>,
}

/// The webhook token: the bearer token, else `?token=`.
fn token(headers: &HeaderMap, raw: Option<&str>) -> Option<String> {
    let bearer = headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(|t| t.trim().to_owned());
    bearer.or_else(|| parse_query::<TokenQuery>(raw).ok().and_then(|q| q.token))
}

/// Authenticates the provider, then reads the JSON body: a wrong secret is a 401 whatever
/// the body. Returns the token and the body.
async fn verified<T: DeserializeOwned>(
    app: &App,
    p: Provider,
    req: Request,
) -> ApiResult<(Option<String>, T)> {
    let t = token(req.headers(), req.uri().query());
    webhooks::authenticate(app, p, t.as_deref()).await?;
    let bytes = body_bytes(req, &()).await?;
    Ok((t, parse_json(&bytes)?))
}

/// Records a Coperato call event (once).
#[utoipa::path(
    post, path = "/api/calls/webhooks/coperato", tag = "Calls",
    summary = "Handle webhook from Coperato provider",
    request_body = CoperatoWebhook, security(("BearerAuth" = [])),
    params(("token" = Option<String>, Query, description = "The webhook secret, when not sent as a bearer token")),
    responses(
        (status = 200, description = "Recorded, or recorded before", body = SuccessDto),
        (status = 404, description = "Unknown call", body = ErrorBody),
        (status = 422, description = "Bad `status`, `duration`, `guid` or `recordingFile`", body = ErrorBody)
    )
)]
pub async fn coperato_webhook(
    State(app): State<App>,
    req: Request,
) -> ApiResult<axum::Json<SuccessDto>> {
    let (t, b): (_, CoperatoWebhook) = verified(&app, Provider::Coperato, req).await?;
    let e = CoperatoEvent {
        status: b.status,
        duration: b.duration,
        guid: b.guid,
        recording_file: b.recording_file,
    };
    webhooks::coperato(&app, t.as_deref(), e).await?;
    Ok(SuccessDto::ok())
}

/// Records a Voiso call outcome (once).
#[utoipa::path(
    post, path = "/api/calls/webhooks/voiso", tag = "Calls",
    summary = "Handle webhook from Voiso provider",
    request_body = VoisoWebhook, security(("BearerAuth" = [])),
    params(("token" = Option<String>, Query, description = "The webhook secret, when not sent as a bearer token")),
    responses(
        (status = 200, description = "Recorded, or recorded before", body = SuccessDto),
        (status = 404, description = "Unknown call", body = ErrorBody),
        (status = 422, description = "Bad `disposition`, `duration` or `account_id`", body = ErrorBody)
    )
)]
pub async fn voiso_webhook(
    State(app): State<App>,
    req: Request,
) -> ApiResult<axum::Json<SuccessDto>> {
    let (t, b): (_, VoisoWebhook) = verified(&app, Provider::Voiso, req).await?;
    let e =
        VoisoEvent { disposition: b.disposition, duration: b.duration, account_id: b.account_id };
    webhooks::voiso(&app, t.as_deref(), e).await?;
    Ok(SuccessDto::ok())
}
