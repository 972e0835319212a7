//! Identity: users, sessions, tokens, API keys, OAuth and authentication. Its CRM API tags (seed 002).

use brokercrm_app::App;
use utoipa_axum::router::OpenApiRouter;

pub mod api_keys;
pub mod download_links;
pub mod downloads;
pub mod forgot_password;
pub mod oauth_clients;
pub mod sessions;
pub mod users;

/// The routes of every tag of this context.
pub fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .merge(api_keys::routes())
        .merge(downloads::routes())
        .merge(forgot_password::routes())
        .merge(oauth_clients::routes())
        .merge(sessions::routes())
        .merge(users::routes())
}
