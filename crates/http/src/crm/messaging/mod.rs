//! Messaging: e-mail templates, the inbox, staff messages and web push (seed 002 tags Emails,
//! Messages, Group Messages, Push Notifications).

use brokercrm_app::App;
use utoipa_axum::router::OpenApiRouter;

pub mod emails;
pub mod group_messages;
pub mod messages;
pub mod push_notifications;

/// The routes of every tag of this context.
pub fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .merge(emails::routes())
        .merge(messages::routes())
        .merge(group_messages::routes())
        .merge(push_notifications::routes())
}
