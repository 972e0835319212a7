//! Lead distribution screens: offers (edit, enable/disable), their caps and rotation; lead rules
//! (country blocks, dedup rules, goal types); advertisers; affiliate tokens.

pub mod advertisers;
pub mod offers;
pub mod rotation;
pub mod rules;
pub mod tokens;

use axum::Router;
use axum::routing::{get, post};

use crate::Web;

pub fn routes() -> Router<Web> {
    Router::new()
        .route("/admin/offers", get(offers::list_page))
        .route("/admin/offers/{id}", get(offers::page).post(offers::save))
        .route("/admin/offers/{id}/caps", post(offers::add_cap))
        .route("/admin/offers/{id}/rotation", get(rotation::page).post(rotation::save))
        .route("/admin/offers/{id}/caps/{cap}", post(offers::set_cap))
        .route("/admin/advertisers", get(advertisers::list).post(advertisers::create))
        .route("/admin/advertisers/{id}", get(advertisers::page).post(advertisers::save))
        .route("/admin/advertisers/{id}/postback-secret", post(advertisers::rotate_secret))
        .route("/admin/advertisers/{id}/delete", post(advertisers::delete))
        .route("/admin/affiliate-tokens", get(tokens::list).post(tokens::create))
        .route("/admin/affiliate-tokens/{id}/{what}", post(tokens::change))
        .route("/admin/lead-rules", get(rules::page))
        .route("/admin/lead-rules/country-blocks", post(rules::block))
        .route("/admin/lead-rules/country-blocks/{id}/delete", post(rules::unblock))
        .route("/admin/lead-rules/dedup-rules", post(rules::add_rule))
        .route("/admin/lead-rules/dedup-rules/{id}/{what}", post(rules::change_rule))
        .route("/admin/lead-rules/goal-types", post(rules::add_goal))
        .route("/admin/lead-rules/goal-types/{id}", get(rules::goal).post(rules::rename_goal))
        .route("/admin/lead-rules/goal-types/{id}/delete", post(rules::delete_goal))
}
