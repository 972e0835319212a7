//! "Get user" and "Update user": the authenticated user's own profile.
//!
//! "Get user" reads only: it issues no token (a refresh token handed out on every read would
//! turn a 15-minute access token into a 30-day session); its `refreshToken` is always null.
//!
//! Absent or `null` fields stay unchanged. Changing the password needs `currentPassword`
//! (unless no password was ever set, e.g. right after sign-up) and ends every session of the
//! user at once (refresh tokens revoked, access tokens refused, this one included); changing
//! the e-mail needs `currentPassword` too when a password is set, clears the confirmation and
//! sends a new verification link to the new address. Neither is allowed with an impersonation
//! token. A new mobile number clears the phone confirmation. Wrong `currentPassword` values are
//! throttled per user like logins (`identity::throttle`: growing waits, 429 with `Retry-After`).
//! The change is published as [`ProfileUpdating`] in its transaction (the onboarding field
//! configuration refuses a change of a field the client may not edit).

use brokercrm_core::error::Violations;
use brokercrm_core::validate::{CountryCode, Email, Password, phone, text};
use brokercrm_core::{Error, Result};
use brokercrm_store::db::commit;
use brokercrm_store::repo::identity::users::{self, UserRow};
use sea_orm::Set;

use crate::identity::events::ProfileUpdating;
use crate::identity::security::{hash_password, verify_password};
use crate::identity::throttle::Attempt;
use crate::identity::users::confirmation::queue_verification;
use crate::identity::users::{current_user, current_user_in, language};
use crate::{App, Principal, identity::tokens};

/// The fields of "Update user".
#[derive(Debug, Clone, Default)]
pub struct UpdateUser {
    pub firstname: Option<String>,
    pub lastname: Option<String>,
    pub email: Option<String>,
    pub mobilenumber: Option<String>,
    pub country: Option<String>,
    pub communication_language: Option<String>,
    pub new_password: Option<String>,
    pub current_password: Option<String>,
}

/// "Get user": the caller's user row; no token is issued.
pub async fn get(app: &App, who: &Principal) -> Result<UserRow> {
    current_user(app, who).await
}

struct Parsed {
    firstname: Option<String>,
    lastname: Option<String>,
    email: Option<Email>,
    mobilenumber: Option<String>,
    country: Option<String>,
    language: Option<String>,
    password: Option<Password>,
}

fn parse(u: &UpdateUser) -> Result<Parsed> {
    let mut v = Violations::new();
    let p = Parsed {
        firstname: u.firstname.as_deref().and_then(|s| v.check(text("firstname", s, 100))),
        lastname: u.lastname.as_deref().and_then(|s| v.check(text("lastname", s, 100))),
        email: u.email.as_deref().and_then(|s| v.check(Email::parse("email", s))),
        mobilenumber: u.mobilenumber.as_deref().and_then(|s| v.check(phone("mobilenumber", s))),
        country: u
            .country
            .as_deref()
            .and_then(|s| v.check(CountryCode::parse("country", s)))
            .map(|c| c.as_str().to_owned()),
        language: u
            .communication_language
            .as_deref()
            .and_then(|s| v.check(language("communicationLanguage", s))),
        password: u
            .new_password
            .as_deref()
            .and_then(|s| v.check(Password::parse("newPassword", s))),
    };
    v.finish()?;
    Ok(p)
}

/// "Update user"; returns the updated user.
pub async fn update(app: &App, who: &Principal, u: UpdateUser) -> Result<UserRow> {
    let p = parse(&u)?;
    let user = current_user(app, who).await?;
    let email_changes = p.email.as_ref().is_some_and(|e| e.as_str() != user.email);
    if email_changes {
        who.forbid_impersonation("change the e-mail")?;
    }
    if p.password.is_some() {
        who.forbid_impersonation("change the password")?;
    }
    if (p.password.is_some() || email_changes) && user.password_hash.is_some() {
        let Some(current) = u.current_password.clone().filter(|s| !s.is_empty()) else {
            return Err(Error::field(
                "currentPassword",
                "is required to change the password or e-mail",
            ));
        };
        let attempt = Attempt::current_password(user.id);
        attempt.check(app)?;
        if !verify_password(app.hasher(), current, user.password_hash.clone()).await? {
            attempt.failed(app);
            return Err(Error::field("currentPassword", "is incorrect"));
        }
        attempt.succeeded(app);
    }
    let new_hash = match &p.password {
        Some(pw) => Some(hash_password(app.hasher(), pw.expose().to_owned()).await?),
        None => None,
    };

    let tx = app.db().begin_write().await?;
    let user = current_user_in(&tx, who).await?;
    let before = user.clone();
    let phone_changes =
        p.mobilenumber.as_ref().is_some_and(|m| Some(m) != user.mobilenumber.as_ref());
    let mut ch = users::changes(user);
    if let Some(v) = p.firstname {
        ch.firstname = Set(Some(v));
    }
    if let Some(v) = p.lastname {
        ch.lastname = Set(Some(v));
    }
    if let Some(v) = p.country {
        ch.country = Set(Some(v));
    }
    if let Some(v) = p.language {
        ch.communication_language = Set(Some(v));
    }
    if phone_changes {
        ch.mobilenumber = Set(p.mobilenumber);
        ch.phone_confirmed_at = Set(None);
    }
    if email_changes && let Some(e) = &p.email {
        ch.email = Set(e.to_string());
        ch.confirmed_at = Set(None);
    }
    if let Some(h) = &new_hash {
        ch.password_hash = Set(Some(h.clone()));
        ch.password_change_required = Set(false);
    }
    let saved = users::save(&tx, ch).await.map_err(|e| match e {
        Error::Conflict(_) => Error::Conflict("email: is already registered".into()),
        other => other,
    })?;
    app.events().publish(&tx, &ProfileUpdating { before, after: saved.clone() }).await?;
    if email_changes {
        queue_verification(app, &tx, &saved, None).await?;
    }
    let saved = match new_hash {
        Some(_) => tokens::end_all_sessions(&tx, saved.id, None).await?.unwrap_or(saved),
        None => saved,
    };
    commit(tx).await?;
    tokens::forget(app, saved.id);
    Ok(saved)
}
