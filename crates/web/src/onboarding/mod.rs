//! Onboarding screens: the stage of each onboarding step and the customer fields each form
//! shows, requires and lets the client edit (one page, two forms).

pub mod fields;
pub mod page;
pub mod steps;

use axum::Router;
use axum::routing::{get, post};

use crate::Web;

pub fn routes() -> Router<Web> {
    Router::new()
        .route("/admin/onboarding", get(page::page))
        .route("/admin/onboarding/steps", post(steps::save))
        .route("/admin/onboarding/fields", post(fields::save))
}
