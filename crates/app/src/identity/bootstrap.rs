//! First-start chores: the first admin account, admin creation from the CLI.

use brokercrm_core::Result;
use brokercrm_core::identity::auth::Role;
use brokercrm_core::validate::Email;
use brokercrm_store::repo::identity::users;

use crate::App;
use crate::identity::staff;

/// Default e-mail of the admin created on an empty database.
pub const FIRST_ADMIN_EMAIL: &str = "admin@brokercrm.local";

/// Creates an admin with a random one-time password (to be changed at the first portal
/// login); returns the password (shown once).
pub async fn create_admin(app: &App, email: &str) -> Result<String> {
    let email = Email::parse("email", email)?;
    let conn = app.db().conn();
    let first = Some("Admin".to_owned());
    let (_, password) = staff::insert_one_time(app, conn, &email, Role::Admin, first, None).await?;
    Ok(password)
}

/// On an empty database, creates the first admin and returns its e-mail and one-time password.
pub async fn ensure_first_admin(app: &App) -> Result<Option<(String, String)>> {
    if users::count_by_role(app.db().conn(), Role::Admin.as_str()).await? > 0 {
        return Ok(None);
    }
    match create_admin(app, FIRST_ADMIN_EMAIL).await {
        Ok(pw) => Ok(Some((FIRST_ADMIN_EMAIL.to_owned(), pw))),
        // Another instance created it concurrently.
        Err(brokercrm_core::Error::Validation(_)) => Ok(None),
        Err(e) => Err(e),
    }
}
