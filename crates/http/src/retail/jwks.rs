//! The public key market-data servers verify tokens with, as a JWK set (RFC 7517, RFC 8037).

use axum::extract::State;
use brokercrm_app::App;
use brokercrm_app::market_data::signing;

use crate::error::ApiResult;

use super::PAGES_TAG;

/// The Ed25519 public key of market-data tokens. Public: it verifies, it cannot sign.
#[utoipa::path(
    get, path = "/.well-known/market-data-jwks.json", tag = PAGES_TAG,
    summary = "Get the market-data token verification keys",
    responses((status = 200, description = "A JWK set with one `OKP`/`Ed25519` key", body = Object))
)]
pub async fn get_market_data_keys(
    State(app): State<App>,
) -> ApiResult<axum::Json<serde_json::Value>> {
    Ok(axum::Json(signing::jwks(&app).await?))
}
