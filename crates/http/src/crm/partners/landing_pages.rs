//! Seed 002 tag Landing Pages (1 operation): the pages an introducer shares, with its key.

use axum::extract::State;
use brokercrm_app::App;
use brokercrm_app::partners::affiliates;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{ApiResult, ErrorBody};
use crate::extract::Auth;

/// A landing page.
#[derive(Debug, Serialize, ToSchema)]
pub struct LandingPageDto {
    pub name: String,
    /// The page with `wtreferrer=<the caller's reference key>`.
    #[schema(example = "https://portal.example.com/register?wtreferrer=joes-fx")]
    pub url: String,
}

/// `{"landing_pages": [...]}` (the seed's spelling).
#[derive(Debug, Serialize, ToSchema)]
pub struct LandingPagesDto {
    pub landing_pages: Vec<LandingPageDto>,
}

/// The configured landing pages (setting `affiliate_landing_pages`; unset: the registration
/// page), each carrying the caller's reference key.
#[utoipa::path(
    get, path = "/api/me/landing-pages", tag = "Landing Pages",
    summary = "Get affiliate landing pages",
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "The pages", body = LandingPagesDto),
        (status = 404, description = "The caller is not an introducer", body = ErrorBody)
    )
)]
pub async fn get_landing_pages(
    State(app): State<App>,
    Auth(p): Auth,
) -> ApiResult<axum::Json<LandingPagesDto>> {
    let landing_pages = affiliates::landing_pages(&app, &p)
        .await?
        .into_iter()
        .map(|l| LandingPageDto { name: l.name, url: l.url })
        .collect();
    Ok(axum::Json(LandingPagesDto { landing_pages }))
}

pub fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new().routes(routes!(get_landing_pages))
}
