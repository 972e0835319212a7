//! "Set a user's status" (admin, ManageUsers; not in the seed): disables or enables a user of
//! any role. Disabling ends every session of the user at once (refresh tokens revoked, access
//! tokens refused) and every API key the user owns stops working; enabling lets the user sign
//! in again (old tokens stay dead) and revives the keys. Audited; nobody disables themselves.

use brokercrm_core::identity::auth::Permission;
use brokercrm_core::{Error, Result};
use brokercrm_store::db::commit;
use brokercrm_store::repo::identity::users::{self, UserRow};

use crate::identity::tokens;
use crate::platform::audit::{self, Audit};
use crate::{App, Principal};

/// The two states of a user as the route names them.
pub fn parse_status(raw: &str) -> Result<&'static str> {
    match raw.trim().to_ascii_lowercase().as_str() {
        "active" => Ok(users::ACTIVE),
        "disabled" => Ok(users::DISABLED),
        _ => Err(Error::field("status", "must be ACTIVE or DISABLED")),
    }
}

/// Sets the status of the user `uuid` (public id); returns the updated user.
pub async fn set_status(app: &App, actor: &Principal, uuid: &str, status: &str) -> Result<UserRow> {
    actor.require(Permission::ManageUsers)?;
    let status = parse_status(status)?;
    let tx = app.db().begin_write().await?;
    let user = users::find_by_uuid(&tx, uuid.trim()).await?.ok_or(Error::NotFound("user"))?;
    if user.id == actor.user_id {
        return Err(Error::field("id", "you cannot change your own status"));
    }
    let before = user.status.clone();
    let saved = if status == users::DISABLED {
        tokens::end_all_sessions(&tx, user.id, Some(status)).await?
    } else {
        let mut ch = users::changes(user);
        ch.status = sea_orm::Set(status.to_owned());
        Some(users::save(&tx, ch).await?)
    }
    .ok_or(Error::NotFound("user"))?;
    audit::record(
        &tx,
        Some(actor),
        Audit::new("user.status", "user", saved.uuid.clone())
            .details(format!("{} set {} from {before} to {status}", actor.email, saved.email))
            .before(&before)
            .after(&status),
    )
    .await?;
    commit(tx).await?;
    tokens::forget(app, saved.id);
    Ok(saved)
}
