//! Identity screens: log in, log out, change the password; users and roles; API keys.

pub mod api_keys;
pub mod login;
pub mod password;
pub mod users;

use axum::Router;
use axum::routing::{get, post};

use crate::Web;

pub fn routes() -> Router<Web> {
    Router::new()
        .route("/admin/login", get(login::form).post(login::submit))
        .route("/admin/logout", post(login::logout))
        .route("/admin/password", get(password::form).post(password::submit))
        .route("/admin/api-keys", get(api_keys::list).post(api_keys::create))
        .route("/admin/api-keys/{id}/revoke", post(api_keys::revoke))
        .route("/admin/users", get(users::list).post(users::create))
        .route("/admin/users/{id}", get(users::page))
        .route("/admin/users/{id}/role", post(users::set_role))
        .route("/admin/users/{id}/status/{to}", post(users::set_status))
}
