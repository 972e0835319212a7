//! Sessions: log in with e-mail and password, refresh and log out (impersonation is in
//! `impersonation`).
//!
//! Failed logins are limited per account and per client IP (sliding window from the
//! configuration); a success forgets the account's failures. An unknown user and a wrong
//! password give the same answer in about the same time (a missing hash still costs one hash).

use std::net::IpAddr;

use brokercrm_core::onboarding::OnboardingStep;
use brokercrm_core::{Error, Result};
use brokercrm_store::db::{commit, now};
use brokercrm_store::repo::identity::users::{self, UserRow};
use sea_orm::Set;

use crate::App;
use crate::identity::security::verify_password;
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

/// Rate-limit key of the failed logins of an account.
pub fn account_key(username: &str) -> String {
    format!("login:account:{}", username.trim().to_lowercase())
}

/// "Create a new session".
pub async fn login(
    app: &App,
    username: &str,
    password: &str,
    ip: Option<IpAddr>,
) -> Result<Session> {
    let cfg = app.cfg();
    let limiter = &app.services().limiter;
    let username = username.trim().to_lowercase();
    let account_key = account_key(&username);
    let ip_key = format!("login:ip:{}", ip.map(|i| i.to_string()).unwrap_or_else(|| "-".into()));
    let waits = [
        limiter.check(&account_key, cfg.login_attempts_per_account, cfg.login_window),
        limiter.check(&ip_key, cfg.login_attempts_per_ip, cfg.login_window),
    ];
    if let Some(wait) = waits.into_iter().flatten().max() {
        return Err(Error::RateLimited { retry_after_secs: wait });
    }
    let user = if username.is_empty() {
        None
    } else {
        users::find_by_email(app.db().conn(), &username).await?
    };
    let hash = user.as_ref().and_then(|u| u.password_hash.clone());
    let ok = verify_password(app.hasher(), password.to_owned(), hash).await?;
    let Some(user) = user.filter(|_| ok) else {
        limiter.record(&account_key, cfg.login_window);
        limiter.record(&ip_key, cfg.login_window);
        return Err(bad_credentials());
    };
    if user.status != users::ACTIVE {
        return Err(Error::Unauthorized("the account is disabled".into()));
    }
    limiter.reset(&account_key);
    let tx = app.db().begin_write().await?;
    let mut ch = users::changes(user);
    ch.last_login_at = Set(Some(now()));
    let user = users::save(&tx, ch).await?;
    let tokens = tokens::issue(app, &tx, &user, None).await?;
    commit(tx).await?;
    let outstanding = crate::identity::users::outstanding(&user);
    Ok(Session { user, tokens, outstanding })
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
