//! Messaging: e-mail templates, the inbox and staff messages (seed 002 tags Emails, Messages,
//! Group Messages).

use brokercrm_app::App;
use utoipa_axum::router::OpenApiRouter;

pub mod emails;
pub mod group_messages;
pub mod messages;

/// The routes of every tag of this context.
pub fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .merge(emails::routes())
        .merge(messages::routes())
        .merge(group_messages::routes())
}
