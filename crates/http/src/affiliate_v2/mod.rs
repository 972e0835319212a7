//! Seed 001, the Lead Distribution Affiliate API v2: push leads, get leads, goal types, with
//! the raw-token `Authorization` header and the seed's error bodies.

pub mod error;
mod goal_types;
mod leads;
mod push;

use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::{any, get};
use brokercrm_app::App;
use brokercrm_app::distribution::intake::affiliate_api::{self, Caller};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use self::error::{AffContext, AffResult, Op};
use crate::extract::ClientIp;

pub const TAG: &str = "Affiliate API v2";

/// Where some deployments of this API serve it: without the `/api` prefix. The same handlers
/// answer there (same shapes, limits and errors); `/openapi.json` lists only the seed's paths.
pub const ALIAS_PREFIX: &str = "/affiliates/v2";

/// The affiliate API's routes, including 410 for the retired v1, and their alias without
/// the `/api` prefix ([`ALIAS_PREFIX`]; not in the OpenAPI document).
pub fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .routes(routes!(push::push_lead, leads::get_leads))
        .routes(routes!(goal_types::get_goal_types))
        .route("/api/affiliates/v1", any(gone))
        .route("/api/affiliates/v1/{*rest}", any(gone))
        .route("/affiliates/v2/leads", get(leads::get_leads).post(push::push_lead))
        .route("/affiliates/v2/goal-types", get(goal_types::get_goal_types))
}

async fn gone() -> Response {
    error::gone()
}

/// True for paths of this surface (their 404s use the seed's body).
pub fn owns(path: &str) -> bool {
    let path = path.strip_prefix("/api").unwrap_or(path);
    path == ALIAS_PREFIX || path.starts_with("/affiliates/v2/")
}

/// Authenticates the request's raw `Authorization` token.
async fn caller(app: &App, headers: &HeaderMap, ip: &ClientIp, op: Op) -> AffResult<Caller> {
    let raw = headers.get(axum::http::header::AUTHORIZATION).and_then(|v| v.to_str().ok());
    affiliate_api::authenticate(app, raw, ip.0).await.during(op)
}
