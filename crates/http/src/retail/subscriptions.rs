//! Seed 003 subscription methods: "Activate subscription v1" and "v2", "Confirm subscription"
//! (on the v1 or v2 path, as the order was activated), "Cancel subscription", "Get
//! subscriptions".

use axum::extract::{Path, State};
use axum::http::StatusCode;
use brokercrm_app::App;
use brokercrm_app::market_data::activation::{self, Activated, Activation, FeedRequest};
use brokercrm_app::market_data::{cancel, confirm, subscriptions};
use chrono::SecondsFormat;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

use super::accounts::text_of;
use super::error::{RetailError, RetailErrorBody, RetailResult};
use super::{AuthWording, Caller, TAG, body};

/// Body of "Activate subscription v1" and of "Cancel subscription".
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct FeedNamesBody {
    /// Feed names.
    #[schema(value_type = Vec<String>, example = json!(["CMEGROUP"]))]
    pub subscriptions: Option<Value>,
    /// Where the wizard sends the user after submitting (activation only); the application's
    /// default otherwise.
    #[schema(value_type = Option<String>, example = "https://example.com")]
    pub success_redirect_url: Option<Value>,
}

/// One feed of "Activate subscription v2".
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct FeedWithEndDate {
    #[schema(example = "CME")]
    pub feed_name: Option<String>,
    /// ISO-8601 with any offset, in the future; none: no end.
    #[schema(example = "2031-12-22T23:59:59Z")]
    pub end_date: Option<String>,
}

/// Body of "Activate subscription v2".
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ActivateV2Body {
    #[schema(value_type = Vec<FeedWithEndDate>)]
    pub subscriptions: Option<Value>,
    #[schema(value_type = Option<String>, example = "https://example.com")]
    pub success_redirect_url: Option<Value>,
}

/// The wizard links, one per theme.
#[derive(Debug, Serialize, ToSchema)]
pub struct SignupPageByTheme {
    #[serde(rename = "LIGHT")]
    pub light: String,
    #[serde(rename = "DARK")]
    pub dark: String,
}

/// The answer to an activation.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ActivationResponse {
    pub signup_page_by_theme: Option<SignupPageByTheme>,
    pub confirmation_id: Option<String>,
}

impl From<Activated> for ActivationResponse {
    fn from(a: Activated) -> Self {
        Self {
            signup_page_by_theme: a
                .signup
                .map(|l| SignupPageByTheme { light: l.light, dark: l.dark }),
            confirmation_id: a.confirmation_id,
        }
    }
}

/// Body of "Confirm subscription".
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ConfirmBody {
    #[schema(value_type = String)]
    pub confirmation_id: Option<Value>,
}

/// One subscription.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RetailSubscription {
    #[schema(example = "CMEGROUP")]
    pub name: String,
    /// `ACTIVE` or `EXPIRED`.
    #[schema(example = "ACTIVE")]
    pub status: String,
    #[schema(example = "2031-12-22T23:59:59Z")]
    pub expires_at: Option<String>,
}

/// "Get subscriptions".
#[derive(Debug, Serialize, ToSchema)]
pub struct RetailSubscriptions {
    pub subscriptions: Vec<RetailSubscription>,
}

fn names_of(v: Option<&Value>) -> Result<Vec<String>, RetailError> {
    let missing = || RetailError::bad_request("Subscriptions should be specified");
    let list = v.and_then(Value::as_array).ok_or_else(missing)?;
    list.iter().map(|n| n.as_str().map(str::to_owned).ok_or_else(missing)).collect()
}

fn redirect_of(v: Option<&Value>) -> Result<Option<String>, RetailError> {
    match v {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(RetailError::bad_request("Invalid value for successRedirectUrl")),
    }
}

/// Activates feeds by name for the account; see the seed's notes for the four answers.
#[utoipa::path(
    post, path = "/api/v1/accounts/{accountId}/subscriptions", tag = TAG,
    summary = "Activate subscription v1",
    security(("BearerAuth" = [])),
    params(("accountId" = String, Path, description = "The account id")),
    request_body = FeedNamesBody,
    responses(
        (status = 200, description = "Wizard links and/or confirmation id, or both null (activated)", body = ActivationResponse),
        (status = 400, description = "`BAD_REQUEST`: `Subscriptions should be specified`, or `Requested feeds can't be activated: ...` (status restrictions)", body = RetailErrorBody),
        (status = 401, description = "`AUTHENTICATION FAILED`", body = RetailErrorBody),
        (status = 404, description = "`ACCOUNT_NOT_FOUND`, `FEED_NOT_FOUND`", body = RetailErrorBody),
        (status = 409, description = "`SUBSCRIPTION_ALREADY_ACTIVE`, `SINGLE_USE_FEED_ACTIVATED_BEFORE`", body = RetailErrorBody)
    )
)]
pub async fn activate_v1(
    State(app): State<App>,
    caller: Caller,
    Path(account_id): Path<String>,
    bytes: bytes::Bytes,
) -> RetailResult<axum::Json<ActivationResponse>> {
    let application = caller.require(AuthWording::Spaced)?;
    let b: FeedNamesBody = body(&bytes)?;
    let feeds = names_of(b.subscriptions.as_ref())?
        .into_iter()
        .map(|name| FeedRequest { name, end_date: None })
        .collect();
    let req = Activation {
        version: 1,
        feeds,
        success_redirect_url: redirect_of(b.success_redirect_url.as_ref())?,
    };
    Ok(axum::Json(activation::activate(&app, &application, &account_id, req).await?.into()))
}

/// Activates feeds with optional end dates for the account.
#[utoipa::path(
    post, path = "/api/v2/accounts/{accountId}/subscriptions", tag = TAG,
    summary = "Activate subscription v2",
    security(("BearerAuth" = [])),
    params(("accountId" = String, Path, description = "The account id")),
    request_body = ActivateV2Body,
    responses(
        (status = 200, description = "Wizard links and/or confirmation id, or both null (activated)", body = ActivationResponse),
        (status = 400, description = "`BAD_REQUEST`: `Subscriptions should be specified`, `Feed name should be specified`, `End date should be set in the future`, `Invalid value for endDate`, or a status restriction", body = RetailErrorBody),
        (status = 401, description = "`AUTHENTICATION FAILED`", body = RetailErrorBody),
        (status = 404, description = "`ACCOUNT_NOT_FOUND`, `FEED_NOT_FOUND`", body = RetailErrorBody),
        (status = 409, description = "`SUBSCRIPTION_ALREADY_ACTIVE`, `SINGLE_USE_FEED_ACTIVATED_BEFORE`", body = RetailErrorBody)
    )
)]
pub async fn activate_v2(
    State(app): State<App>,
    caller: Caller,
    Path(account_id): Path<String>,
    bytes: bytes::Bytes,
) -> RetailResult<axum::Json<ActivationResponse>> {
    let application = caller.require(AuthWording::Spaced)?;
    let b: ActivateV2Body = body(&bytes)?;
    let list = b
        .subscriptions
        .as_ref()
        .and_then(Value::as_array)
        .ok_or_else(|| RetailError::bad_request("Subscriptions should be specified"))?;
    let mut feeds = Vec::with_capacity(list.len());
    for item in list {
        let name = text_of(item.get("feedName")).unwrap_or("").to_owned();
        let end_date = match item.get("endDate") {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(_) => return Err(RetailError::bad_request("Invalid value for endDate")),
        };
        feeds.push(FeedRequest { name, end_date });
    }
    let req = Activation {
        version: 2,
        feeds,
        success_redirect_url: redirect_of(b.success_redirect_url.as_ref())?,
    };
    Ok(axum::Json(activation::activate(&app, &application, &account_id, req).await?.into()))
}

async fn confirm_on(
    app: App,
    caller: Caller,
    account_id: String,
    bytes: bytes::Bytes,
    version: i16,
) -> RetailResult<StatusCode> {
    let application = caller.require(AuthWording::Confirm)?;
    let b: ConfirmBody = body(&bytes)?;
    confirm::confirm(&app, &application, &account_id, version, text_of(b.confirmation_id.as_ref()))
        .await?;
    Ok(StatusCode::OK)
}

/// Confirms an order activated through v1.
#[utoipa::path(
    post, path = "/api/v1/accounts/{accountId}/subscriptions/confirm", tag = TAG,
    summary = "Confirm subscription",
    security(("BearerAuth" = [])),
    params(("accountId" = String, Path, description = "The account id")),
    request_body = ConfirmBody,
    responses(
        (status = 200, description = "Confirmed"),
        (status = 400, description = "`BAD_REQUEST`: `Confirmation ID must be specified.`", body = RetailErrorBody),
        (status = 401, description = "`AUTHENTICATION FAILED`: `Authentication has failed due to wrong API key.` or `No Authorization header.`", body = RetailErrorBody),
        (status = 404, description = "`ORDER_NOT_FOUND`, `ACCOUNT_NOT_FOUND`", body = RetailErrorBody)
    )
)]
pub async fn confirm_v1(
    State(app): State<App>,
    caller: Caller,
    Path(account_id): Path<String>,
    bytes: bytes::Bytes,
) -> RetailResult<StatusCode> {
    confirm_on(app, caller, account_id, bytes, 1).await
}

/// Confirms an order activated through v2 (the seed's "Confirm subscription" on its v2 path).
#[utoipa::path(
    post, path = "/api/v2/accounts/{accountId}/subscriptions/confirm", tag = TAG,
    summary = "Confirm subscription v2",
    security(("BearerAuth" = [])),
    params(("accountId" = String, Path, description = "The account id")),
    request_body = ConfirmBody,
    responses(
        (status = 200, description = "Confirmed"),
        (status = 400, description = "`BAD_REQUEST`: `Confirmation ID must be specified.`", body = RetailErrorBody),
        (status = 401, description = "`AUTHENTICATION FAILED`: `Authentication has failed due to wrong API key.` or `No Authorization header.`", body = RetailErrorBody),
        (status = 404, description = "`ORDER_NOT_FOUND`, `ACCOUNT_NOT_FOUND`", body = RetailErrorBody)
    )
)]
pub async fn confirm_v2(
    State(app): State<App>,
    caller: Caller,
    Path(account_id): Path<String>,
    bytes: bytes::Bytes,
) -> RetailResult<StatusCode> {
    confirm_on(app, caller, account_id, bytes, 2).await
}

/// Cancels subscriptions by feed name, as the application's cancel rule says.
#[utoipa::path(
    post, path = "/api/v1/accounts/{accountId}/subscriptions/cancel", tag = TAG,
    summary = "Cancel subscription",
    security(("BearerAuth" = [])),
    params(("accountId" = String, Path, description = "The account id")),
    request_body = FeedNamesBody,
    responses(
        (status = 200, description = "Cancelled"),
        (status = 400, description = "`BAD_REQUEST`: `Subscriptions should be specified`", body = RetailErrorBody),
        (status = 401, description = "`AUTHENTICATION FAILED`", body = RetailErrorBody),
        (status = 404, description = "`ACCOUNT_NOT_FOUND`, `SUBSCRIPTION_NOT_FOUND`", body = RetailErrorBody),
        (status = 409, description = "`SUBSCRIPTION_IS_EXPIRED`", body = RetailErrorBody)
    )
)]
pub async fn cancel_subscriptions(
    State(app): State<App>,
    caller: Caller,
    Path(account_id): Path<String>,
    bytes: bytes::Bytes,
) -> RetailResult<StatusCode> {
    let application = caller.require(AuthWording::Spaced)?;
    let b: FeedNamesBody = body(&bytes)?;
    cancel::cancel(&app, &application, &account_id, &names_of(b.subscriptions.as_ref())?).await?;
    Ok(StatusCode::OK)
}

/// Every subscription the account ever had.
#[utoipa::path(
    get, path = "/api/v1/accounts/{accountId}/subscriptions", tag = TAG,
    summary = "Get subscriptions",
    security(("BearerAuth" = [])),
    params(("accountId" = String, Path, description = "The account id")),
    responses(
        (status = 200, description = "The subscriptions (an empty list for none)", body = RetailSubscriptions),
        (status = 401, description = "`AUTHENTICATION FAILED`", body = RetailErrorBody),
        (status = 404, description = "`ACCOUNT_NOT_FOUND`", body = RetailErrorBody)
    )
)]
pub async fn get_subscriptions(
    State(app): State<App>,
    caller: Caller,
    Path(account_id): Path<String>,
) -> RetailResult<axum::Json<RetailSubscriptions>> {
    let application = caller.require(AuthWording::Spaced)?;
    let list = subscriptions::list(&app, &application, &account_id).await?;
    Ok(axum::Json(RetailSubscriptions {
        subscriptions: list
            .into_iter()
            .map(|s| RetailSubscription {
                name: s.name,
                status: if s.active { "ACTIVE" } else { "EXPIRED" }.into(),
                expires_at: s.expires_at.map(|e| e.to_rfc3339_opts(SecondsFormat::Secs, true)),
            })
            .collect(),
    }))
}
