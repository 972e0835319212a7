//! The staff portal's sessions: log in (the API's credential check and throttle), resume a
//! session from its cookie within the idle and absolute limits, log out, and the password
//! change a one-time password requires.
//!
//! Only the SHA-256 hash of a session token is stored. A session ends when it is revoked
//! (logout), idle longer than `idle`, older than `absolute`, or when its user's token
//! generation moves (password change or reset, account disabled, role change), so ending a
//! user's API tokens ends their portal sessions too. Only staff may hold a portal session.

use std::net::IpAddr;
use std::time::Duration;

use brokercrm_core::{Error, Result};
use brokercrm_store::db::{commit, now};
use brokercrm_store::repo::identity::users::{self, UserRow};
use brokercrm_store::repo::identity::web_sessions as repo;
use sea_orm::Set;

use crate::identity::auth::principal_of;
use crate::identity::principal::{AuthMethod, Principal};
use crate::identity::security::{random_token, token_hash};
use crate::identity::sessions::verify_credentials;
use crate::identity::users::profile::{self, UpdateUser};
use crate::{App, identity::tokens};

/// How long a portal session lives.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Ends after this long without a request.
    pub idle: Duration,
    /// Ends this long after the login, however active.
    pub absolute: Duration,
}

/// A live portal session.
#[derive(Debug, Clone)]
pub struct WebSession {
    pub principal: Principal,
    pub user: UserRow,
    /// The one-time password must be changed before anything else.
    pub password_change_required: bool,
}

/// Logs a staff member in; returns the new session's token (for the cookie).
pub async fn login(
    app: &App,
    email: &str,
    password: &str,
    ip: Option<IpAddr>,
) -> Result<(String, UserRow)> {
    let user = verify_credentials(app, email, password, ip).await?;
    let role = principal_of(&user, AuthMethod::Session, None)?.role;
    if !role.is_staff() {
        return Err(Error::Unauthorized("the portal is for staff accounts".into()));
    }
    let tx = app.db().begin_write().await?;
    let mut ch = users::changes(user);
    ch.last_login_at = Set(Some(now()));
    let user = users::save(&tx, ch).await?;
    let token = start_in(&tx, &user).await?;
    commit(tx).await?;
    Ok((token, user))
}

async fn start_in<C: brokercrm_store::ConnectionTrait>(conn: &C, user: &UserRow) -> Result<String> {
    let token = random_token(32);
    repo::insert(conn, user.id, &token_hash(&token), user.token_generation).await?;
    Ok(token)
}

/// The session `token` names, if it is live; an expired one is revoked on the way.
pub async fn resume(app: &App, token: &str, limits: Limits) -> Result<Option<WebSession>> {
    if token.is_empty() || token.len() > 128 {
        return Ok(None);
    }
    let conn = app.db().conn();
    let hash = token_hash(token);
    let Some(s) = repo::find_live(conn, &hash).await? else { return Ok(None) };
    let t = now();
    let idle = chrono::Duration::from_std(limits.idle).map_err(Error::internal)?;
    let absolute = chrono::Duration::from_std(limits.absolute).map_err(Error::internal)?;
    if t - s.last_seen_at > idle || t - s.created_at > absolute {
        repo::revoke(conn, &hash).await?;
        return Ok(None);
    }
    let Some(user) = users::find_by_id(conn, s.user_id).await? else { return Ok(None) };
    if user.status != users::ACTIVE || user.token_generation != s.token_generation {
        repo::revoke(conn, &hash).await?;
        return Ok(None);
    }
    let principal = principal_of(&user, AuthMethod::Session, None)?;
    if !principal.role.is_staff() {
        return Ok(None);
    }
    // A write at most every few seconds per session, not one per request.
    if t - s.last_seen_at > chrono::Duration::seconds(5) {
        repo::touch(conn, s.id, t).await?;
    }
    Ok(Some(WebSession {
        password_change_required: user.password_change_required,
        principal,
        user,
    }))
}

/// Ends the session `token` names (unknown tokens are accepted silently).
pub async fn logout(app: &App, token: &str) -> Result<()> {
    repo::revoke(app.db().conn(), &token_hash(token)).await
}

/// Changes the caller's password ("Update user" with `newPassword`, which ends every session
/// and token of the user) and opens a fresh portal session; returns its token.
pub async fn change_password(
    app: &App,
    who: &Principal,
    current: &str,
    new: &str,
) -> Result<String> {
    if new.is_empty() {
        return Err(Error::field("newPassword", "is required"));
    }
    let input = UpdateUser {
        new_password: Some(new.to_owned()),
        current_password: Some(current.to_owned()),
        ..Default::default()
    };
    let user = profile::update(app, who, input).await?;
    let tx = app.db().begin_write().await?;
    let token = start_in(&tx, &user).await?;
    commit(tx).await?;
    tokens::forget(app, user.id);
    Ok(token)
}
