//! Seed 002 tag Users: sign-up, the authenticated user's own profile under `/api/me`, e-mail
//! and mobile confirmation, deposit disclaimer, profile pictures, account disable request, and
//! (ours) an admin setting a user's status.
//! The user object of "Update user" is shared by Sessions and "Get user".

mod account;
mod avatar;
mod confirmation;
pub mod dto;
mod me;
mod status;

use brokercrm_app::App;
pub use dto::{Success, UserDto};
use utoipa_axum::router::OpenApiRouter;

/// Every Users route.
pub fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .merge(account::routes())
        .merge(avatar::routes())
        .merge(confirmation::routes())
        .merge(me::routes())
        .merge(status::routes())
}
