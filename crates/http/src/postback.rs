//! Advertiser postbacks (our tag "Lead Distribution"; not in the seed):
//! `GET`/`POST /api/lead-distribution/postbacks/{advertiserUuid}` records that a lead we
//! delivered reached a goal. The advertiser authenticates with its postback secret in the
//! `X-Postback-Secret` header (preferred: query strings end up in logs) or the `secret`
//! query parameter. Parameters come from the query string; a POST may send them instead as
//! a JSON object or a form body. Errors use the CRM shape.

use axum::extract::{Path, Request, State};
use axum::http::{HeaderMap, Method, header};
use brokercrm_app::App;
use brokercrm_app::distribution::postback::{self, Postback};
use brokercrm_core::Error;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{ApiError, ApiResult, ErrorBody};

const SECRET_HEADER: &str = "x-postback-secret";

/// Postback parameters (query string, or a POST's JSON/form body).
#[derive(Debug, Default, Deserialize, IntoParams, ToSchema)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct PostbackParams {
    /// The postback secret, if not sent in `X-Postback-Secret`.
    pub secret: Option<String>,
    /// Our lead UUID (as delivered to the advertiser).
    pub lead: Option<String>,
    /// The advertiser's own id for the lead (when `lead` is not given).
    pub external_id: Option<String>,
    /// Goal type name; default `FTD`.
    #[param(example = "FTD")]
    pub goal: Option<String>,
}

impl PostbackParams {
    /// Fields of `other` fill the ones this lacks.
    fn or(self, other: PostbackParams) -> Self {
        Self {
            secret: self.secret.or(other.secret),
            lead: self.lead.or(other.lead),
            external_id: self.external_id.or(other.external_id),
            goal: self.goal.or(other.goal),
        }
    }
}

/// What the postback did.
#[derive(Debug, Serialize, ToSchema)]
pub struct PostbackResult {
    /// True the first time this (lead, goal) is reported; false on a redelivery.
    pub recorded: bool,
    /// The lead's UUID.
    pub lead: String,
    /// The goal type recorded.
    #[schema(example = "FTD")]
    pub goal: String,
}

/// Records a conversion reported by an advertiser (GET form, for pixel-style postbacks).
#[utoipa::path(
    get,
    path = "/api/lead-distribution/postbacks/{advertiserUuid}",
    tag = "Lead Distribution",
    summary = "Receive advertiser postback",
    params(
        ("advertiserUuid" = String, Path, description = "The advertiser's public id"),
        ("X-Postback-Secret" = Option<String>, Header, description = "The postback secret (or `secret` in the query)"),
        PostbackParams
    ),
    responses(
        (status = 200, description = "Recorded (`recorded: false` for a redelivery)", body = PostbackResult),
        (status = 401, description = "Unknown advertiser, or missing or wrong secret", body = ErrorBody),
        (status = 404, description = "The lead is not one this advertiser received", body = ErrorBody),
        (status = 422, description = "Neither `lead` nor `externalId`, or an unknown goal", body = ErrorBody)
    )
)]
pub async fn receive_postback(
    State(app): State<App>,
    Path(advertiser): Path<String>,
    req: Request,
) -> ApiResult<axum::Json<PostbackResult>> {
    handle(app, advertiser, req).await
}

/// Records a conversion reported by an advertiser (POST form; parameters in the query, or
/// a JSON or form body).
#[utoipa::path(
    post,
    path = "/api/lead-distribution/postbacks/{advertiserUuid}",
    tag = "Lead Distribution",
    summary = "Receive advertiser postback (POST)",
    params(
        ("advertiserUuid" = String, Path, description = "The advertiser's public id"),
        ("X-Postback-Secret" = Option<String>, Header, description = "The postback secret (or `secret` in the query or body)"),
        PostbackParams
    ),
    request_body(content = Option<PostbackParams>, description = "Optional: the same parameters as JSON or form fields"),
    responses(
        (status = 200, description = "Recorded (`recorded: false` for a redelivery)", body = PostbackResult),
        (status = 401, description = "Unknown advertiser, or missing or wrong secret", body = ErrorBody),
        (status = 404, description = "The lead is not one this advertiser received", body = ErrorBody),
        (status = 415, description = "A body that is neither JSON nor a form", body = ErrorBody),
        (status = 422, description = "Neither `lead` nor `externalId`, or an unknown goal", body = ErrorBody)
    )
)]
pub async fn receive_postback_post(
    State(app): State<App>,
    Path(advertiser): Path<String>,
    req: Request,
) -> ApiResult<axum::Json<PostbackResult>> {
    handle(app, advertiser, req).await
}

async fn handle(
    app: App,
    advertiser: String,
    req: Request,
) -> ApiResult<axum::Json<PostbackResult>> {
    let query: PostbackParams = serde_urlencoded::from_str(req.uri().query().unwrap_or(""))
        .map_err(|e| Error::BadRequest(format!("query string: {e}")))?;
    let header_secret = secret_header(req.headers());
    let params =
        if req.method() == Method::POST { query.or(body_params(req).await?) } else { query };
    let out = postback::receive(
        &app,
        Postback {
            advertiser_uuid: advertiser,
            secret: header_secret.or(params.secret),
            lead: params.lead,
            external_id: params.external_id,
            goal: params.goal,
        },
    )
    .await?;
    Ok(axum::Json(PostbackResult { recorded: out.recorded, lead: out.lead_uuid, goal: out.goal }))
}

fn secret_header(headers: &HeaderMap) -> Option<String> {
    headers.get(SECRET_HEADER).and_then(|v| v.to_str().ok()).map(str::to_owned)
}

/// A POST's parameters from a JSON or form body; an empty body has none.
async fn body_params(req: Request) -> Result<PostbackParams, ApiError> {
    let essence = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<mime::Mime>().ok())
        .map(|m| {
            (
                m.subtype() == mime::JSON || m.suffix() == Some(mime::JSON),
                m.essence_str().to_owned(),
            )
        });
    let bytes = crate::extract::body_bytes(req, &()).await?;
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(PostbackParams::default());
    }
    match essence {
        Some((true, _)) => Ok(crate::extract::parse_json(&bytes)?),
        Some((false, e)) if e == "application/x-www-form-urlencoded" => {
            serde_urlencoded::from_bytes(&bytes)
                .map_err(|e| ApiError(Error::BadRequest(format!("body: {e}"))))
        }
        _ => Err(ApiError(Error::UnsupportedMediaType)),
    }
}

pub fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new().routes(routes!(receive_postback, receive_postback_post))
}
