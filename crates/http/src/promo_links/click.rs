//! The live `displayUrl` of a promotion link: counts the click and redirects.

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::http::header::LOCATION;
use axum::response::{IntoResponse, Response};
use brokercrm_app::App;
use brokercrm_app::partners::promo_links::click::follow;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::error::{ApiResult, ErrorBody};

/// The link's code, and the tenant when several share it.
#[derive(Debug, Deserialize, IntoParams)]
pub struct ClickQuery {
    /// The link's `entityNo`.
    pub iid: String,
    /// The tenant, when the code is not unique among tenants (the `displayUrl` says so).
    pub tid: Option<i64>,
}

/// Follows a promotion link: the click is counted and the visitor redirected (302) to the
/// link's target with its parameter (`uid`/`pid`/`sid`) set to the owner's referral key and
/// `iid` kept. A sign-up that sends either as `wtreferrer` is attributed to the owner.
#[utoipa::path(
    get, path = "/introduce", tag = "Promotion Links",
    summary = "Follow a promotion link",
    params(ClickQuery),
    responses(
        (status = 302, description = "To the link's target"),
        (status = 404, description = "No such link", body = ErrorBody)
    )
)]
pub async fn follow_promotion_link(
    State(app): State<App>,
    Query(q): Query<ClickQuery>,
) -> ApiResult<Response> {
    let to = follow(&app, &q.iid, q.tid).await?;
    Ok((StatusCode::FOUND, [(LOCATION, to)]).into_response())
}
