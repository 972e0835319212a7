//! "Get profile page": links (LIGHT, DARK) to the page where the user reviews their data and
//! agreements, and when they expire.

use axum::extract::{Path, State};
use brokercrm_app::App;
use brokercrm_app::market_data::profile;
use chrono::SecondsFormat;
use serde::Serialize;
use utoipa::ToSchema;

use super::error::{RetailErrorBody, RetailResult};
use super::subscriptions::SignupPageByTheme;
use super::{AuthWording, Caller, TAG};

/// The profile links.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ProfileLinkResponse {
    #[schema(value_type = SignupPageByTheme)]
    pub profile_page_by_theme: SignupPageByTheme,
    #[schema(example = "2026-12-05T10:00:00Z")]
    pub expires_at: String,
}

/// Issues profile links for the account.
#[utoipa::path(
    post, path = "/api/v1/accounts/{accountId}/profile-link", tag = TAG, summary = "Get profile page",
    security(("BearerAuth" = [])),
    params(("accountId" = String, Path, description = "The account id")),
    responses(
        (status = 200, description = "The links", body = ProfileLinkResponse),
        (status = 401, description = "`AUTHENTICATION_FAILED`", body = RetailErrorBody),
        (status = 404, description = "`ACCOUNT_NOT_FOUND`", body = RetailErrorBody)
    )
)]
pub async fn get_profile_link(
    State(app): State<App>,
    caller: Caller,
    Path(account_id): Path<String>,
) -> RetailResult<axum::Json<ProfileLinkResponse>> {
    let application = caller.require(AuthWording::Underscored)?;
    let l = profile::link(&app, &application, &account_id).await?;
    Ok(axum::Json(ProfileLinkResponse {
        profile_page_by_theme: SignupPageByTheme { light: l.links.light, dark: l.links.dark },
        expires_at: l.expires_at.to_rfc3339_opts(SecondsFormat::Secs, true),
    }))
}
