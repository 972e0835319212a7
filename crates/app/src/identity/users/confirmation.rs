//! E-mail confirmation: a single-use link token (72 h) sent at sign-up, on e-mail change and
//! on request; "Verify user" spends it and stamps `confirmed_at`.

use std::time::Duration;

use brokercrm_core::{Error, Result};
use brokercrm_store::ConnectionTrait;
use brokercrm_store::db::{commit, now};
use brokercrm_store::repo::identity::user_tokens::EMAIL_VERIFY;
use brokercrm_store::repo::identity::users::{self, UserRow};

use crate::identity::one_time_tokens::{issue_token, spend};
use crate::identity::security::token_hash;
use crate::identity::users::current_user;
use crate::platform::email::{self, SendEmail};
use crate::platform::links::public_link;
use crate::{App, Principal};

/// How long a verification link stays valid.
pub const VERIFY_TTL_HOURS: i64 = 72;
/// Confirmation e-mails a user may request per hour.
pub const RESENDS_PER_HOUR: u32 = 3;

/// Front-end page that receives the link and calls "Verify user" with `verifyToken`.
pub fn verify_link(app: &App, token: &str) -> String {
    public_link(app, &format!("/verify-email?verifyToken={token}"))
}

/// Issues a verification token for `user` and queues the e-mail on `conn` (the caller's
/// transaction). `set_password` is a first-password link to include (sign-up).
pub async fn queue_verification<C: ConnectionTrait>(
    app: &App,
    conn: &C,
    user: &UserRow,
    set_password: Option<&str>,
) -> Result<()> {
    let token =
        issue_token(conn, user.id, EMAIL_VERIFY, chrono::Duration::hours(VERIFY_TTL_HOURS)).await?;
    let link = verify_link(app, &token);
    let mut text = format!(
        "Hello {},\n\nplease confirm your e-mail address by opening this link:\n{link}\n\n\
         The link is valid for {VERIFY_TTL_HOURS} hours.\n",
        user.firstname.as_deref().unwrap_or("")
    );
    if let Some(pw_link) = set_password {
        text.push_str(&format!("\nChoose the password of your account here:\n{pw_link}\n"));
    }
    email::queue(
        app,
        conn,
        SendEmail {
            to: user.email.clone(),
            subject: "Confirm your e-mail address".into(),
            text,
            html: None,
        },
    )
    .await
}

/// "Verify user": spends the token and marks the e-mail confirmed.
pub async fn verify(app: &App, token: &str) -> Result<()> {
    let invalid = || Error::field("verifyToken", "is invalid or expired");
    if token.trim().is_empty() {
        return Err(Error::field("verifyToken", "is required"));
    }
    let tx = app.db().begin_write().await?;
    let user = spend(&tx, EMAIL_VERIFY, &token_hash(token.trim()), invalid).await?;
    if user.confirmed_at.is_none() {
        let mut ch = users::changes(user);
        ch.confirmed_at = sea_orm::Set(Some(now()));
        users::save(&tx, ch).await?;
    }
    commit(tx).await
}

/// "Resend confirmation email": a new link replaces the previous one; limited per hour.
/// Returns the address it was sent to.
pub async fn resend(app: &App, who: &Principal) -> Result<String> {
    let user = current_user(app, who).await?;
    if user.confirmed_at.is_some() {
        return Err(Error::Conflict("the e-mail address is already confirmed".into()));
    }
    let key = format!("confirm-email:{}", user.id);
    if let Some(wait) =
        app.services().limiter.hit(&key, RESENDS_PER_HOUR, Duration::from_secs(3600))
    {
        return Err(Error::RateLimited { retry_after_secs: wait });
    }
    let tx = app.db().begin_write().await?;
    queue_verification(app, &tx, &user, None).await?;
    commit(tx).await?;
    Ok(user.email)
}

/// "Check if user's email is confirmed".
pub async fn is_confirmed(app: &App, who: &Principal) -> Result<bool> {
    Ok(current_user(app, who).await?.confirmed_at.is_some())
}
