//! Sign-up ("Create a new user"), "Get user's country by IP", "Accept deposit disclaimer" and
//! "Request to disable account".

use axum::extract::State;
use axum::http::StatusCode;
use brokercrm_app::App;
use brokercrm_app::identity::users::account;
use brokercrm_app::identity::users::signup::{self, SignUp};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::dto::Success;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{Auth, ClientIp, Json, MaybeAuth};

/// The public sign-up form. No password: see "Create a new user".
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CreateUserRequest {
    /// 1-100 characters.
    pub firstname: Option<String>,
    /// 1-100 characters.
    pub lastname: Option<String>,
    /// Required; must not be registered yet.
    #[schema(format = "email", example = "user@example.com")]
    pub email: Option<String>,
    /// Phone number, 6-15 digits with an optional `+`.
    pub mobilenumber: Option<String>,
    /// ISO 3166-1 alpha-2, e.g. `DE`.
    pub country: Option<String>,
    /// ISO 639-1, e.g. `en`.
    pub communication_language: Option<String>,
    pub wtreferrer: Option<String>,
    #[serde(rename = "wants_to_become_leader")]
    pub wants_to_become_leader: Option<bool>,
    /// Onboarding steps to skip. Anonymous callers may skip only the form steps
    /// (`SignupDemoForm`, `SignupRealForm`, `CompleteAccountBeforeDepositForm`,
    /// `CompleteAccountBeforeWithdrawalForm`); staff with `manage_users` may skip any.
    pub skip_onboarding_steps: Option<Vec<String>>,
    pub source: Option<String>,
    /// reCAPTCHA response token; required when reCAPTCHA is enabled in Settings.
    pub recaptcha_token: Option<String>,
}

/// Answer of a sign-up.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CreateUserResponse {
    pub success: bool,
    /// Refresh token of the new session: exchange it at `POST /api/sessions/refresh`. Null
    /// when a staff member created the account (nobody is signed in).
    pub refresh_token: Option<String>,
    /// Portal page where onboarding continues.
    pub redirect_url: String,
}

/// Signs a new customer up. The account has no password yet: the customer is signed in
/// through the returned refresh token and gets one e-mail with a verification link and a
/// link to choose a password (or sets one with "Update user"). An address that is already
/// registered gets the same answer (its refresh token opens nothing) and its owner an
/// e-mail, so the form does not reveal who has an account. Limited per client IP.
#[utoipa::path(
    post, path = "/api/users", tag = "Users", summary = "Create a new user",
    request_body = CreateUserRequest,
    responses(
        (status = 201, description = "Customer created and signed in", body = CreateUserResponse),
        (status = 400, description = "Malformed body", body = ErrorBody),
        (status = 409, description = "E-mail already registered (staff callers only; anyone else gets 201 and the owner an e-mail)", body = ErrorBody),
        (status = 422, description = "Invalid field (named in details)", body = ErrorBody),
        (status = 429, description = "Too many sign-ups from this IP; wait `Retry-After` seconds", body = ErrorBody)
    )
)]
pub async fn create_user(
    State(app): State<App>,
    MaybeAuth(caller): MaybeAuth,
    ClientIp(ip): ClientIp,
    Json(b): Json<CreateUserRequest>,
) -> ApiResult<(StatusCode, axum::Json<CreateUserResponse>)> {
    let form = SignUp {
        firstname: b.firstname,
        lastname: b.lastname,
        email: b.email,
        mobilenumber: b.mobilenumber,
        country: b.country,
        communication_language: b.communication_language,
        wtreferrer: b.wtreferrer,
        wants_to_become_leader: b.wants_to_become_leader,
        skip_onboarding_steps: b.skip_onboarding_steps,
        source: b.source,
        recaptcha_token: b.recaptcha_token,
    };
    let done = signup::sign_up(&app, caller.as_ref(), form, ip).await?;
    Ok((
        StatusCode::CREATED,
        axum::Json(CreateUserResponse {
            success: true,
            refresh_token: done.refresh_token,
            redirect_url: done.redirect_url,
        }),
    ))
}

/// Answer of "Get user's country by IP".
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CountryByIpResponse {
    /// ISO 3166-1 alpha-2 code of the caller's IP, or `"unknown"` when it cannot be located
    /// (private address, not in the GeoIP database, or no database configured).
    #[schema(example = "DE")]
    pub country_code: String,
    /// The caller's IP as the server sees it (first `X-Forwarded-For` hop, else the peer);
    /// empty when unknown.
    #[schema(example = "203.0.113.7")]
    pub ip: String,
}

/// Locates the caller's IP address (public; pre-fills the sign-up form).
#[utoipa::path(
    get, path = "/api/users/country-by-ip", tag = "Users", summary = "Get user's country by IP",
    responses((status = 200, description = "Country of the caller's IP", body = CountryByIpResponse))
)]
pub async fn get_country_by_ip(
    State(app): State<App>,
    ClientIp(ip): ClientIp,
) -> axum::Json<CountryByIpResponse> {
    let country = ip.and_then(|ip| account::country_of(&app, ip));
    axum::Json(CountryByIpResponse {
        country_code: country.unwrap_or_else(|| account::UNKNOWN_COUNTRY.to_owned()),
        ip: ip.map(|i| i.to_string()).unwrap_or_default(),
    })
}

/// Records that the customer accepted the deposit disclaimer.
#[utoipa::path(
    post, path = "/api/me/deposit-disclaimer", tag = "Users", summary = "Accept deposit disclaimer",
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "Accepted", body = Success)
    )
)]
pub async fn accept_deposit_disclaimer(
    State(app): State<App>,
    Auth(p): Auth,
) -> ApiResult<axum::Json<Success>> {
    account::accept_disclaimer(&app, &p).await?;
    Ok(Success::ok())
}

/// Asks the back office to disable the account; ends every session (refresh tokens revoked).
#[utoipa::path(
    post, path = "/api/me/disable", tag = "Users", summary = "Request to disable account",
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "Request recorded", body = Success)
    )
)]
pub async fn request_disable_account(
    State(app): State<App>,
    Auth(p): Auth,
) -> ApiResult<axum::Json<Success>> {
    account::request_disable(&app, &p).await?;
    Ok(Success::ok())
}

pub fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .routes(routes!(create_user))
        .routes(routes!(get_country_by_ip))
        .routes(routes!(accept_deposit_disclaimer))
        .routes(routes!(request_disable_account))
}
