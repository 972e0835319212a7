//! Market-data entitlement screens (seed 003's back office): applications (rules, the API key
//! shown once on creation and on rotation), feeds, and accounts with their subscriptions and
//! history. Reads need ReadMarketData, changes ManageMarketData — checked by the use cases.

pub mod accounts;
pub mod applications;
pub mod feeds;

use axum::Router;
use axum::routing::{get, post};

use crate::Web;

/// The screens' tabs: label, URL, key.
pub const TABS: [(&str, &str, &str); 3] = [
    ("Applications", "/admin/market-data/applications", "applications"),
    ("Feeds", "/admin/market-data/feeds", "feeds"),
    ("Accounts", "/admin/market-data/accounts", "accounts"),
];

pub fn routes() -> Router<Web> {
    Router::new()
        .route(
            "/admin/market-data",
            get(|_: crate::session::Staff| async { axum::response::Redirect::to(TABS[0].1) }),
        )
        .route(
            "/admin/market-data/applications",
            get(applications::list_page).post(applications::create),
        )
        .route("/admin/market-data/applications/new", get(applications::new_page))
        .route(
            "/admin/market-data/applications/{id}",
            get(applications::page).post(applications::save),
        )
        .route("/admin/market-data/applications/{id}/rotate", post(applications::rotate))
        .route("/admin/market-data/feeds", get(feeds::list_page).post(feeds::create))
        .route("/admin/market-data/feeds/new", get(feeds::new_page))
        .route("/admin/market-data/feeds/{id}", get(feeds::page).post(feeds::save))
        .route("/admin/market-data/accounts", get(accounts::list_page))
        .route("/admin/market-data/accounts/{id}", get(accounts::page))
}
