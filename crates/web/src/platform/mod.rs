//! Platform screens: the audit log, settings, the assets and the portal's 404.

pub mod audit;
pub mod settings;

use axum::Router;
use axum::routing::get;

use crate::Web;
use crate::error::WebError;
use crate::session::Staff;

pub fn routes() -> Router<Web> {
    Router::new()
        .route("/admin/audit", get(audit::page))
        .route("/admin/settings", get(settings::page).post(settings::save))
        .route("/admin/assets/{name}", get(crate::assets::serve))
        .route("/admin/{*rest}", get(not_found).post(not_found))
}

/// Any other path under `/admin`: the login first, then the HTML 404 page.
async fn not_found(_staff: Staff) -> WebError {
    WebError::App(brokercrm_core::Error::NotFound("page"))
}
