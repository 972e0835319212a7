//! One-time user tokens (e-mail verification, password reset, first password): issued here
//! for users, sessions and password reset alike, below all of them.

use brokercrm_core::{Error, Result};
use brokercrm_store::ConnectionTrait;
use brokercrm_store::repo::identity::user_tokens;
use brokercrm_store::repo::identity::users::{self, UserRow};

use crate::App;
use crate::identity::security::{random_token, token_hash};
use crate::platform::links::public_link;

/// Replaces the user's unused tokens of `purpose` by a new one valid for `ttl`; returns the
/// plain token (only its hash is stored).
pub async fn issue_token<C: ConnectionTrait>(
    conn: &C,
    user_id: i64,
    purpose: &str,
    ttl: chrono::Duration,
) -> Result<String> {
    user_tokens::invalidate(conn, user_id, purpose).await?;
    let token = random_token(32);
    user_tokens::insert(
        conn,
        user_id,
        purpose,
        &token_hash(&token),
        brokercrm_store::db::now() + ttl,
    )
    .await?;
    Ok(token)
}

/// Spends the usable token of `purpose` whose hash is `hash` and returns its user; an
/// unknown, spent or expired token (or one spent concurrently) is `invalid()`.
pub async fn spend<C: ConnectionTrait>(
    conn: &C,
    purpose: &str,
    hash: &str,
    invalid: impl Fn() -> Error,
) -> Result<UserRow> {
    let row = user_tokens::find_by_hash(conn, purpose, hash)
        .await?
        .filter(|r| r.is_usable())
        .ok_or_else(&invalid)?;
    if !user_tokens::consume(conn, row.id).await? {
        return Err(invalid());
    }
    users::find_by_id(conn, row.user_id).await?.ok_or_else(invalid)
}

/// Like [`spend`], for a token that only an active user may use.
pub async fn spend_active<C: ConnectionTrait>(
    conn: &C,
    purpose: &str,
    hash: &str,
    invalid: impl Fn() -> Error,
) -> Result<UserRow> {
    let user = spend(conn, purpose, hash, &invalid).await?;
    if user.status != users::ACTIVE {
        return Err(invalid());
    }
    Ok(user)
}

/// Front-end page receiving the link; it posts `reset_token` to "Reset customer password".
pub fn reset_link(app: &App, token: &str) -> String {
    public_link(app, &format!("/reset-password?token={token}"))
}
