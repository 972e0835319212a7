//! Sessions: log in with e-mail and password, refresh and log out (impersonation is in
//! `impersonation`). A login publishes [`SigningIn`] in its transaction: a subscriber (the
//! onboarding stage `BeforeSignIn`) may refuse it.
//!
//! Failed logins are throttled by [`crate::identity::throttle`]: growing waits per (account,
//! client IP), high ceilings per account and per IP; the owner is never locked out from an
//! IP that signed in before. An unknown user and a wrong password give the same answer in
//! about the same time (a missing hash still costs one hash).

use std::net::IpAddr;

use brokercrm_core::identity::onboarding_steps::OnboardingStep;
use brokercrm_core::{Error, Result};
use brokercrm_store::db::{commit, now};
use brokercrm_store::repo::identity::users::{self, UserRow};
use sea_orm::Set;

use crate::App;
use crate::identity::events::SigningIn;
use crate::identity::security::verify_password;
use crate::identity::throttle::Attempt;
use crate::identity::tokens::{self, IssuedTokens};

/// A successful login.
#[derive(Debug)]
pub struct Session {
    pub user: UserRow,
    pub tokens: IssuedTokens,
    pub outstanding: Vec<OnboardingStep>,
}

fn bad_credentials() -> Error {
    Error::Unauthorized("invalid username or password".into())
}

pub use crate::identity::throttle::account_key;

/// "Create a new session".
pub async fn login(
    app: &App,
    username: &str,
    password: &str,
    ip: Option<IpAddr>,
) -> Result<Session> {
    let user = verify_credentials(app, username, password, ip).await?;
    let tx = app.db().begin_write().await?;
    let mut ch = users::changes(user);
    ch.last_login_at = Set(Some(now()));
    let user = users::save(&tx, ch).await?;
    app.events().publish(&tx, &SigningIn { user: user.clone() }).await?;
    let tokens = tokens::issue(app, &tx, &user, None).await?;
    commit(tx).await?;
    let outstanding = crate::identity::users::outstanding(&user);
    Ok(Session { user, tokens, outstanding })
}

/// The active user these credentials name, under the login throttle (the API's and the
/// portal's logins share it); a wrong or unknown pair is `Unauthorized`.
pub async fn verify_credentials(
    app: &App,
    username: &str,
    password: &str,
    ip: Option<IpAddr>,
) -> Result<UserRow> {
    let username = username.trim().to_lowercase();
    let attempt = Attempt::login(&username, ip);
    attempt.check(app)?;
    let user = if username.is_empty() {
        None
    } else {
        users::find_by_email(app.db().conn(), &username).await?
    };
    let hash = user.as_ref().and_then(|u| u.password_hash.clone());
    let ok = verify_password(app.hasher(), password.to_owned(), hash).await?;
    let Some(user) = user.filter(|_| ok) else {
        attempt.failed(app);
        return Err(bad_credentials());
    };
    if user.status != users::ACTIVE {
        return Err(Error::Unauthorized("the account is disabled".into()));
    }
    attempt.succeeded(app);
    Ok(user)
}

/// Exchanges a refresh token for a new pair (rotation; reuse revokes the family).
pub async fn refresh(app: &App, refresh_token: &str) -> Result<IssuedTokens> {
    if refresh_token.trim().is_empty() {
        return Err(Error::field("refreshToken", "is required"));
    }
    tokens::rotate(app, refresh_token.trim(), None).await.map(|(_, t)| t)
}

/// Logs out: revokes the refresh token's family. Unknown tokens are accepted silently.
pub async fn logout(app: &App, refresh_token: &str) -> Result<()> {
    if refresh_token.trim().is_empty() {
        return Err(Error::field("refreshToken", "is required"));
    }
    tokens::revoke(app, refresh_token.trim()).await.map(|_| ())
}
