//! "Trial tracking": stores what the application knows about a trial user.

use axum::extract::State;
use axum::http::StatusCode;
use brokercrm_app::App;
use brokercrm_app::market_data::trials::{self, NewTrial};
use serde::Deserialize;
use serde_json::Value;
use utoipa::ToSchema;

use super::accounts::text_of;
use super::error::{RetailError, RetailErrorBody, RetailResult};
use super::{AuthWording, Caller, TAG};

/// Whatever is known about the trial user; every field optional, the object required.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TrialBody {
    #[schema(value_type = Option<String>, example = "AA:BB:CC:DD:EE:FF")]
    pub mac_address: Option<Value>,
    #[schema(value_type = Option<String>, example = "user@example.com")]
    pub email: Option<Value>,
    #[schema(value_type = Option<String>, example = "John")]
    pub first_name: Option<Value>,
    #[schema(value_type = Option<String>, example = "Smith")]
    pub last_name: Option<Value>,
    #[schema(value_type = Option<String>, example = "15552315555")]
    pub phone: Option<Value>,
}

/// Records a trial.
#[utoipa::path(
    post, path = "/api/v1/track", tag = TAG, summary = "Trial tracking",
    security(("BearerAuth" = [])),
    request_body = TrialBody,
    responses(
        (status = 200, description = "Saved"),
        (status = 400, description = "`BAD_REQUEST`: the body is not a JSON object", body = RetailErrorBody),
        (status = 401, description = "`AUTHENTICATION FAILED`", body = RetailErrorBody)
    )
)]
pub async fn track_trial(
    State(app): State<App>,
    caller: Caller,
    bytes: bytes::Bytes,
) -> RetailResult<StatusCode> {
    let application = caller.require(AuthWording::Spaced)?;
    let raw: Value = serde_json::from_slice(&bytes)
        .map_err(|_| RetailError::bad_request("A JSON object should be specified"))?;
    if !raw.is_object() {
        return Err(RetailError::bad_request("A JSON object should be specified"));
    }
    let b: TrialBody = super::body(&bytes)?;
    let s = |v: &Option<Value>| text_of(v.as_ref()).map(str::to_owned);
    let t = NewTrial {
        mac_address: s(&b.mac_address),
        email: s(&b.email),
        first_name: s(&b.first_name),
        last_name: s(&b.last_name),
        phone: s(&b.phone),
    };
    trials::track(&app, &application, t).await?;
    Ok(StatusCode::OK)
}
