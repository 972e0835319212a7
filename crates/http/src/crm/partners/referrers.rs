//! Seed 002 tag Referrers (1 operation): the grey-label logos of the caller's introducer.

use axum::extract::State;
use brokercrm_app::App;
use brokercrm_app::partners::marketing::logos;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::affiliates::LogosResponse;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{Auth, Query};

/// A referrer key for a caller without an introducer.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReferrerQuery {
    /// The referrer key
    pub wtreferrer: Option<String>,
}

/// The logos of the caller's introducer (or of the introducer whose key is `wtreferrer`),
/// when its commission model enables grey labeling; both `null` otherwise.
#[utoipa::path(
    get, path = "/api/me/referrer/logos", tag = "Referrers",
    summary = "Get custom logos for the authenticated user's referrer",
    params(ReferrerQuery),
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "The logos", body = LogosResponse),
        (status = 401, description = "Not signed in", body = ErrorBody)
    )
)]
pub async fn get_referrer_logos(
    State(app): State<App>,
    Auth(p): Auth,
    Query(q): Query<ReferrerQuery>,
) -> ApiResult<axum::Json<LogosResponse>> {
    let v = logos::of_referrer(&app, &p, q.wtreferrer.as_deref()).await?;
    Ok(axum::Json(LogosResponse { logos: v.into() }))
}

pub fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new().routes(routes!(get_referrer_logos))
}
