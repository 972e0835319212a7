//! Seed 003 account methods: "Create account", "Get account by ID", "Get account by email",
//! "Reset account password", "Change email".

use axum::extract::{Path, State};
use axum::http::StatusCode;
use brokercrm_app::App;
use brokercrm_app::market_data::{accounts, credentials};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

use super::error::{RetailErrorBody, RetailResult};
use super::{AuthWording, Caller, TAG, body};

/// The wizard fields `metadata` may pre-fill; each optional.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AccountMetadata {
    #[schema(example = "Bob")]
    pub first_name: Option<String>,
    #[schema(example = "Smith")]
    pub last_name: Option<String>,
    #[schema(example = "United States of America")]
    pub country: Option<String>,
    #[schema(example = "New York")]
    pub state: Option<String>,
    #[schema(example = "620 Eighth Avenue, 1")]
    pub address: Option<String>,
    #[schema(example = "New York City")]
    pub city: Option<String>,
    #[schema(example = "10018")]
    pub zip: Option<String>,
    #[schema(example = "+1-212-424-72-71")]
    pub phone: Option<String>,
    #[schema(example = "New York Times")]
    pub company_name: Option<String>,
    #[schema(example = "Journalist")]
    pub job_title: Option<String>,
}

/// Body of "Create account".
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CreateAccountBody {
    /// Saved in lower case.
    #[schema(value_type = String, example = "bob.smith@example.com")]
    pub email: Option<Value>,
    #[schema(value_type = Option<AccountMetadata>)]
    pub metadata: Option<Value>,
    /// `ALL` (default), `PROFESSIONAL` or `NON_PROFESSIONAL`.
    #[schema(value_type = Option<String>, example = "ALL")]
    pub allowed_statuses: Option<Value>,
}

/// `{"accountId": ...}`.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CreatedAccount {
    #[schema(example = "0190f3c2-7f1e-7c4e-9a51-2b8f4a1d9e01")]
    pub account_id: String,
}

/// An account.
#[derive(Debug, Serialize, ToSchema)]
pub struct RetailAccount {
    #[schema(example = "0190f3c2-7f1e-7c4e-9a51-2b8f4a1d9e01")]
    pub id: String,
    #[schema(example = "bob.smith@example.com")]
    pub email: String,
}

/// Body of "Change email".
#[derive(Debug, Deserialize, ToSchema)]
pub struct ChangeEmailBody {
    #[schema(value_type = String, example = "new.bob.smith@example.com")]
    pub email: Option<Value>,
}

/// A JSON string's text; anything else (number, object) reads as absent.
pub(super) fn text_of(v: Option<&Value>) -> Option<&str> {
    v.and_then(Value::as_str)
}

/// Creates an account of the calling application.
#[utoipa::path(
    post, path = "/api/v1/accounts", tag = TAG, summary = "Create account",
    security(("BearerAuth" = [])),
    request_body = CreateAccountBody,
    responses(
        (status = 200, description = "Created", body = CreatedAccount),
        (status = 400, description = "`BAD_REQUEST`: `Valid email should be specified`, `Invalid value for allowedStatuses`, `Invalid value for metadata...`", body = RetailErrorBody),
        (status = 401, description = "`AUTHENTICATION FAILED`", body = RetailErrorBody),
        (status = 422, description = "`ACCOUNT_ALREADY_EXISTS`", body = RetailErrorBody)
    )
)]
pub async fn create_account(
    State(app): State<App>,
    caller: Caller,
    bytes: bytes::Bytes,
) -> RetailResult<axum::Json<CreatedAccount>> {
    let application = caller.require(AuthWording::Spaced)?;
    let b: CreateAccountBody = body(&bytes)?;
    let allowed = match &b.allowed_statuses {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.as_str()),
        Some(_) => Some(""),
    };
    let id = accounts::create(
        &app,
        &application,
        text_of(b.email.as_ref()),
        b.metadata.as_ref(),
        allowed,
    )
    .await?;
    Ok(axum::Json(CreatedAccount { account_id: id }))
}

/// One account of the calling application.
#[utoipa::path(
    get, path = "/api/v1/accounts/{accountId}", tag = TAG, summary = "Get account by ID",
    security(("BearerAuth" = [])),
    params(("accountId" = String, Path, description = "The account id")),
    responses(
        (status = 200, description = "The account", body = RetailAccount),
        (status = 401, description = "`AUTHENTICATION FAILED`", body = RetailErrorBody),
        (status = 404, description = "`ACCOUNT_NOT_FOUND`", body = RetailErrorBody)
    )
)]
pub async fn get_account(
    State(app): State<App>,
    caller: Caller,
    Path(account_id): Path<String>,
) -> RetailResult<axum::Json<RetailAccount>> {
    let application = caller.require(AuthWording::Spaced)?;
    let a = accounts::get(&app, &application, &account_id).await?;
    Ok(axum::Json(RetailAccount { id: a.id, email: a.email }))
}

/// The calling application's account of an e-mail address (any case).
#[utoipa::path(
    get, path = "/api/v1/accounts/by-email/{email}", tag = TAG, summary = "Get account by email",
    security(("BearerAuth" = [])),
    params(("email" = String, Path, description = "The end user's e-mail address")),
    responses(
        (status = 200, description = "The account", body = RetailAccount),
        (status = 400, description = "`BAD_REQUEST`: `Valid email should be specified`", body = RetailErrorBody),
        (status = 401, description = "`AUTHENTICATION FAILED`", body = RetailErrorBody),
        (status = 404, description = "`ACCOUNT_NOT_FOUND`", body = RetailErrorBody)
    )
)]
pub async fn get_account_by_email(
    State(app): State<App>,
    caller: Caller,
    Path(email): Path<String>,
) -> RetailResult<axum::Json<RetailAccount>> {
    let application = caller.require(AuthWording::Spaced)?;
    let a = accounts::by_email(&app, &application, &email).await?;
    Ok(axum::Json(RetailAccount { id: a.id, email: a.email }))
}

/// Regenerates the account's market-data password and e-mails it (nothing to do while the
/// account has no credentials yet).
#[utoipa::path(
    post, path = "/api/v1/accounts/{accountId}/reset-password", tag = TAG,
    summary = "Reset account password",
    security(("BearerAuth" = [])),
    params(("accountId" = String, Path, description = "The account id")),
    responses(
        (status = 200, description = "Reset (or nothing to reset yet)"),
        (status = 401, description = "`AUTHENTICATION FAILED`", body = RetailErrorBody),
        (status = 404, description = "`ACCOUNT_NOT_FOUND`", body = RetailErrorBody),
        (status = 422, description = "`CREDENTIALS_GENERATION_DISABLED`", body = RetailErrorBody)
    )
)]
pub async fn reset_password(
    State(app): State<App>,
    caller: Caller,
    Path(account_id): Path<String>,
) -> RetailResult<StatusCode> {
    let application = caller.require(AuthWording::Spaced)?;
    credentials::reset(&app, &application, &account_id).await?;
    Ok(StatusCode::OK)
}

/// Changes the account's e-mail address (saved in lower case).
#[utoipa::path(
    post, path = "/api/v1/accounts/{accountId}/change-email", tag = TAG, summary = "Change email",
    security(("BearerAuth" = [])),
    params(("accountId" = String, Path, description = "The account id")),
    request_body = ChangeEmailBody,
    responses(
        (status = 200, description = "Changed"),
        (status = 400, description = "`BAD_REQUEST`: `Email should be specified`, `Valid email should be specified`", body = RetailErrorBody),
        (status = 401, description = "`AUTHENTICATION FAILED`", body = RetailErrorBody),
        (status = 404, description = "`ACCOUNT_NOT_FOUND`", body = RetailErrorBody),
        (status = 422, description = "`CREDENTIALS_GENERATION_DISABLED` (the address is the account's current one) or `ACCOUNT_ALREADY_EXISTS` (another account has it)", body = RetailErrorBody)
    )
)]
pub async fn change_email(
    State(app): State<App>,
    caller: Caller,
    Path(account_id): Path<String>,
    bytes: bytes::Bytes,
) -> RetailResult<StatusCode> {
    let application = caller.require(AuthWording::Spaced)?;
    let b: ChangeEmailBody = body(&bytes)?;
    let email = match &b.email {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.as_str()),
        Some(_) => Some("-"),
    };
    accounts::change_email(&app, &application, &account_id, email).await?;
    Ok(StatusCode::OK)
}
