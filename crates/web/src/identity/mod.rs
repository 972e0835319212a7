//! Identity screens: log in, log out, change the password.

pub mod login;
pub mod password;

use axum::Router;
use axum::routing::{get, post};

use crate::Web;

pub fn routes() -> Router<Web> {
    Router::new()
        .route("/admin/login", get(login::form).post(login::submit))
        .route("/admin/logout", post(login::logout))
        .route("/admin/password", get(password::form).post(password::submit))
}
