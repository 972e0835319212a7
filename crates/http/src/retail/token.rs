//! "Request token by account ID" and "Request token by credentials": one path and method
//! (`POST /api/v1/token`), told apart by the body. Answers in the seed's token shape
//! `{status, reason, token[, details]}`, its 401 included; the application's mistakes about the
//! account are 200s with a reason, as the seed has them.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use brokercrm_app::App;
use brokercrm_app::market_data::tokens::{self, TokenOutcome};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

use super::accounts::text_of;
use super::{Caller, TAG};

/// Body of a token request: `accountId`, or `login` and `password`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TokenRequestBody {
    /// By account id.
    #[schema(value_type = Option<String>)]
    pub account_id: Option<Value>,
    /// By credentials: the market-data login.
    #[schema(value_type = Option<String>)]
    pub login: Option<Value>,
    /// By credentials: the market-data password.
    #[schema(value_type = Option<String>)]
    pub password: Option<Value>,
    /// Return the entitled QD filters as `details` (default false).
    pub with_details: Option<bool>,
}

/// The answer of the token endpoint.
#[derive(Debug, Serialize, ToSchema)]
pub struct TokenAnswer {
    /// `OK` or `ERROR`.
    #[schema(example = "OK")]
    pub status: String,
    /// `null` on success; `AUTHENTICATION_FAILED`, `BAD_REQUEST`, `ACCOUNT_NOT_FOUND`,
    /// `NO_ACTIVE_SUBSCRIPTIONS`, `INVALID_CREDENTIALS`.
    pub reason: Option<String>,
    /// An EdDSA JWT (verify with `/.well-known/market-data-jwks.json`); `null` on error.
    pub token: Option<String>,
    /// The entitled QD filters, when `withDetails` is true (`[]` on error).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = json!(["CMEGROUP", "CME"]))]
    pub details: Option<Vec<String>>,
}

fn answer(status: StatusCode, reason: &str, details: Option<Vec<String>>) -> Response {
    let body =
        TokenAnswer { status: "ERROR".into(), reason: Some(reason.into()), token: None, details };
    (status, axum::Json(body)).into_response()
}

/// Issues a market-data token for an account of the calling application, by its id or by
/// its credentials. (The seed's two operations share this path and method; OpenAPI lists
/// one, its body the union of both.)
#[utoipa::path(
    post, path = "/api/v1/token", tag = TAG, summary = "Request token by account ID",
    security(("BearerAuth" = [])),
    request_body = TokenRequestBody,
    responses(
        (status = 200, description = "`OK` with the token, or `ERROR` with `ACCOUNT_NOT_FOUND`, `NO_ACTIVE_SUBSCRIPTIONS` or `INVALID_CREDENTIALS`", body = TokenAnswer),
        (status = 400, description = "`BAD_REQUEST`: accountId null, empty or not an account id; login or password null or empty", body = TokenAnswer),
        (status = 401, description = "`AUTHENTICATION_FAILED`", body = TokenAnswer)
    )
)]
pub async fn request_token(
    State(app): State<App>,
    caller: Caller,
    bytes: bytes::Bytes,
) -> Response {
    let Ok(application) = caller.0 else {
        return answer(StatusCode::UNAUTHORIZED, "AUTHENTICATION_FAILED", None);
    };
    let bad = || answer(StatusCode::BAD_REQUEST, "BAD_REQUEST", None);
    let Ok(b) = super::body::<TokenRequestBody>(&bytes) else { return bad() };
    let details = b.with_details == Some(true);
    let by_credentials = b.login.is_some() || b.password.is_some();
    let outcome = if by_credentials {
        let login = text_of(b.login.as_ref()).map(str::trim).filter(|s| !s.is_empty());
        let password = text_of(b.password.as_ref()).filter(|s| !s.is_empty());
        let (Some(login), Some(password)) = (login, password) else { return bad() };
        tokens::by_credentials(&app, &application, login, password).await
    } else {
        let id = text_of(b.account_id.as_ref()).map(str::trim).unwrap_or("");
        if uuid::Uuid::parse_str(id).is_err() {
            return bad();
        }
        tokens::by_account(&app, &application, id).await
    };
    let reason = match outcome {
        Ok(TokenOutcome::Issued { token, details: filters }) => {
            let body = TokenAnswer {
                status: "OK".into(),
                reason: None,
                token: Some(token),
                details: details.then_some(filters),
            };
            return axum::Json(body).into_response();
        }
        Ok(TokenOutcome::AccountNotFound) => "ACCOUNT_NOT_FOUND",
        Ok(TokenOutcome::NoActiveSubscriptions) => "NO_ACTIVE_SUBSCRIPTIONS",
        Ok(TokenOutcome::InvalidCredentials) => "INVALID_CREDENTIALS",
        Err(e) => return super::error::RetailError::from(e).into_response(),
    };
    answer(StatusCode::OK, reason, details.then(Vec::new))
}
