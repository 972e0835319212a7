//! "Create a download token" (our tag Tokens): a one-time, short-lived token for an export link
//! (`GET .../export?token=`), so no access token travels in a URL.

use axum::extract::State;
use brokercrm_app::App;
use brokercrm_app::identity::downloads;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{ApiResult, ErrorBody};
use crate::extract::Auth;

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DownloadTokenResponse {
    /// Put it in one export link as `?token=`; it works once.
    pub token: String,
    /// Seconds until the token expires unused.
    #[schema(example = 60)]
    pub expires_in: u64,
}

/// Issues a single-use download token for the caller (a signed-in user, not an impersonation;
/// API-key clients send the key in the Authorization header instead).
#[utoipa::path(
    post, path = "/api/downloads/token", tag = "Tokens", summary = "Create a download token",
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "A one-time download token", body = DownloadTokenResponse),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "An impersonation token or an API key", body = ErrorBody)
    )
)]
pub async fn create_download_token(
    State(app): State<App>,
    Auth(p): Auth,
) -> ApiResult<axum::Json<DownloadTokenResponse>> {
    let (token, expires_in) = downloads::issue(&app, &p).await?;
    Ok(axum::Json(DownloadTokenResponse { token, expires_in }))
}

pub fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new().routes(routes!(create_download_token))
}
