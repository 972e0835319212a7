//! Forgot password: "Request password reset" e-mails a single-use link (1 h) and answers the
//! same for unknown contacts (no enumeration); "Reset customer password" spends the token,
//! sets the password, confirms the e-mail (the link proved access to it) and ends every
//! session of the user at once (refresh tokens revoked, access tokens refused).

use std::net::IpAddr;
use std::time::Duration;

use brokercrm_core::error::Violations;
use brokercrm_core::validate::{Email, Password};
use brokercrm_core::{Error, Result};
use brokercrm_store::db::{commit, now};
use brokercrm_store::repo::identity::user_tokens::{self, PASSWORD_RESET};
use brokercrm_store::repo::identity::users;
use sea_orm::Set;

use crate::identity::one_time_tokens::{issue_token, reset_link, spend_active};
use crate::identity::security::{hash_password, token_hash};
use crate::platform::email::{self, SendEmail};
use crate::{App, identity::tokens, platform::recaptcha};

/// Lifetime of a reset link.
pub const RESET_TTL_MINUTES: i64 = 60;
/// Requests allowed per contact and per hour.
pub const REQUESTS_PER_CONTACT: u32 = 3;
/// Requests allowed per client IP and per hour.
pub const REQUESTS_PER_IP: u32 = 20;

/// "Request password reset".
pub async fn request(
    app: &App,
    contact: &str,
    captcha: Option<&str>,
    ip: Option<IpAddr>,
) -> Result<()> {
    let email = Email::parse("contact", contact)?;
    recaptcha::verify(app, captcha, ip).await?;
    let hour = Duration::from_secs(3600);
    let limiter = &app.services().limiter;
    let ip_key = format!("forgot:ip:{}", ip.map(|i| i.to_string()).unwrap_or_else(|| "-".into()));
    let contact_key = format!("forgot:contact:{email}");
    let waits = [
        limiter.hit(&ip_key, REQUESTS_PER_IP, hour),
        limiter.hit(&contact_key, REQUESTS_PER_CONTACT, hour),
    ];
    if let Some(wait) = waits.into_iter().flatten().max() {
        return Err(Error::RateLimited { retry_after_secs: wait });
    }
    let Some(user) = users::find_by_email(app.db().conn(), email.as_str())
        .await?
        .filter(|u| u.status == users::ACTIVE)
    else {
        tracing::info!("password reset requested for an unknown contact");
        return Ok(());
    };
    let tx = app.db().begin_write().await?;
    let token =
        issue_token(&tx, user.id, PASSWORD_RESET, chrono::Duration::minutes(RESET_TTL_MINUTES))
            .await?;
    let link = reset_link(app, &token);
    email::queue(
        app,
        &tx,
        SendEmail {
            to: user.email.clone(),
            subject: "Reset your password".into(),
            text: format!(
                "Hello {},\n\nsomeone (hopefully you) asked to reset the password of your account.\n\
                 Choose a new password here:\n{link}\n\nThe link is valid for {RESET_TTL_MINUTES} \
                 minutes and can be used once. If you did not ask for it, ignore this e-mail.\n",
                user.firstname.as_deref().unwrap_or("")
            ),
            html: None,
        },
    )
    .await?;
    commit(tx).await
}

/// "Reset customer password".
pub async fn reset(app: &App, reset_token: &str, password: &str, confirmation: &str) -> Result<()> {
    let mut v = Violations::new();
    if reset_token.trim().is_empty() {
        v.push("reset_token", "is required");
    }
    let pw = v.check(Password::parse("password", password));
    if pw.is_some() && confirmation != password {
        v.push("password_confirmation", "does not match password");
    }
    v.finish()?;
    let Some(pw) = pw else { return Err(Error::field("password", "is required")) };
    let invalid = || Error::field("reset_token", "is invalid or expired");
    let hash = token_hash(reset_token.trim());
    // Cheap pre-check so a bad token does not cost an argon2 hash.
    user_tokens::find_by_hash(app.db().conn(), PASSWORD_RESET, &hash)
        .await?
        .filter(|r| r.is_usable())
        .ok_or_else(invalid)?;
    let new_hash = hash_password(app.hasher(), pw.expose().to_owned()).await?;

    let tx = app.db().begin_write().await?;
    let user = spend_active(&tx, PASSWORD_RESET, &hash, invalid).await?;
    let (user_id, email) = (user.id, user.email.clone());
    let confirm = user.confirmed_at.is_none();
    let mut ch = users::changes(user);
    ch.password_hash = Set(Some(new_hash));
    if confirm {
        ch.confirmed_at = Set(Some(now()));
    }
    users::save(&tx, ch).await?;
    user_tokens::invalidate(&tx, user_id, PASSWORD_RESET).await?;
    tokens::end_all_sessions(&tx, user_id, None).await?;
    commit(tx).await?;
    tokens::forget(app, user_id);
    app.services().limiter.reset(&crate::identity::sessions::account_key(&email));
    Ok(())
}
