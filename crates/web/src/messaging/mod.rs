//! Messaging screens: staff messages to one customer or to all customers; e-mail templates
//! with their preview and test send.

pub mod email_template;
pub mod email_templates;
pub mod messages;

use axum::Router;
use axum::routing::{get, post};

use crate::Web;

pub fn routes() -> Router<Web> {
    Router::new()
        .route("/admin/messages", get(messages::page))
        .route("/admin/messages/customer", post(messages::send_to_customer))
        .route("/admin/messages/all", post(messages::send_to_all))
        .route("/admin/email-templates", get(email_templates::list).post(email_template::create))
        .route("/admin/email-templates/new", get(email_template::new))
        .route("/admin/email-templates/{id}", get(email_template::page).post(email_template::save))
        .route("/admin/email-templates/{id}/preview", post(email_template::preview))
        .route("/admin/email-templates/{id}/test", post(email_template::send_test))
        .route("/admin/email-templates/{id}/delete", post(email_templates::delete))
}
