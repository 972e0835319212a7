//! Session tokens: short-lived JWT access tokens and refresh tokens that are stored hashed,
//! rotated on every use (reuse of a spent token revokes its whole family) and revocable.
//!
//! Every access token carries its user's token generation (`gen`); [`end_all_sessions`] bumps
//! it (password changed or reset, account disabled), so every access token issued before fails
//! at once, together with every refresh token and unused download link of the user.

use brokercrm_core::{Error, Result};
use brokercrm_store::ConnectionTrait;
use brokercrm_store::repo::identity::users::{self, UserRow};
use brokercrm_store::repo::identity::{refresh_tokens, user_tokens};

use crate::App;
use crate::identity::security::{Claims, random_token, token_hash};

/// Tokens handed to a client.
#[derive(Debug, Clone)]
pub struct IssuedTokens {
    pub access_token: String,
    pub refresh_token: String,
    /// Access token lifetime in seconds.
    pub expires_in: u64,
}

/// A signed access token for `user`.
pub fn access_token(app: &App, user: &UserRow, impersonated_by: Option<i64>) -> Result<String> {
    let now = chrono::Utc::now().timestamp();
    let ttl = i64::try_from(app.cfg().access_token_ttl.as_secs()).unwrap_or(900);
    app.jwt().sign(&Claims {
        jti: None,
        sub: user.uuid.clone(),
        uid: user.id,
        role: user.role.clone(),
        exp: now + ttl,
        iat: now,
        imp: impersonated_by,
        generation: user.token_generation,
    })
}

async fn new_refresh<C: ConnectionTrait>(
    app: &App,
    conn: &C,
    user_id: i64,
    family: &str,
    client_id: Option<&str>,
) -> Result<String> {
    let token = random_token(32);
    let ttl = chrono::Duration::from_std(app.cfg().refresh_token_ttl)
        .unwrap_or(chrono::Duration::days(30));
    refresh_tokens::insert(
        conn,
        user_id,
        &token_hash(&token),
        family,
        client_id,
        brokercrm_store::db::now() + ttl,
    )
    .await?;
    Ok(token)
}

/// Starts a new token family for `user` (login, sign-up, OAuth code exchange).
pub async fn issue<C: ConnectionTrait>(
    app: &App,
    conn: &C,
    user: &UserRow,
    client_id: Option<&str>,
) -> Result<IssuedTokens> {
    let family = uuid::Uuid::now_v7().to_string();
    Ok(IssuedTokens {
        access_token: access_token(app, user, None)?,
        refresh_token: new_refresh(app, conn, user.id, &family, client_id).await?,
        expires_in: app.cfg().access_token_ttl.as_secs(),
    })
}

/// Exchanges a refresh token for new tokens. A spent or revoked token revokes its family;
/// a token issued to another OAuth client is rejected.
pub async fn rotate(
    app: &App,
    refresh_token: &str,
    client_id: Option<&str>,
) -> Result<(UserRow, IssuedTokens)> {
    let invalid = || Error::Unauthorized("invalid refresh token".into());
    let tx = app.db().begin_write().await?;
    let row =
        refresh_tokens::find_by_hash(&tx, &token_hash(refresh_token)).await?.ok_or_else(invalid)?;
    if row.client_id.as_deref() != client_id {
        return Err(invalid());
    }
    if row.used_at.is_some() || row.revoked_at.is_some() {
        refresh_tokens::revoke_family(&tx, &row.family).await?;
        brokercrm_store::db::commit(tx).await?;
        tracing::warn!(user_id = row.user_id, "refresh token reuse: family revoked");
        return Err(invalid());
    }
    if row.expires_at < brokercrm_store::db::now()
        || !refresh_tokens::mark_used(&tx, row.id).await?
    {
        return Err(invalid());
    }
    let user = users::find_by_id(&tx, row.user_id)
        .await?
        .filter(|u| u.status == users::ACTIVE)
        .ok_or_else(invalid)?;
    let tokens = IssuedTokens {
        access_token: access_token(app, &user, None)?,
        refresh_token: new_refresh(app, &tx, user.id, &row.family, client_id).await?,
        expires_in: app.cfg().access_token_ttl.as_secs(),
    };
    brokercrm_store::db::commit(tx).await?;
    Ok((user, tokens))
}

/// Revokes the family of `refresh_token`; returns its user, or `None` if the token is unknown.
pub async fn revoke(app: &App, refresh_token: &str) -> Result<Option<UserRow>> {
    let conn = app.db().conn();
    let Some(row) = refresh_tokens::find_by_hash(conn, &token_hash(refresh_token)).await? else {
        return Ok(None);
    };
    refresh_tokens::revoke_family(conn, &row.family).await?;
    users::find_by_id(conn, row.user_id).await
}

/// Revokes every refresh token of a user; access tokens live out their lifetime (a request to
/// disable the account: the user stays signed in until then).
pub async fn revoke_all<C: ConnectionTrait>(conn: &C, user_id: i64) -> Result<()> {
    refresh_tokens::revoke_user(conn, user_id).await.map(|_| ())
}

/// Ends every session of a user inside the caller's transaction: revokes every refresh token,
/// spends the unused download links and bumps the token generation (so every access token
/// issued before fails), setting `status` too when given. Returns the updated user (`None`
/// if unknown). After the commit, call [`forget`] so this process does not serve the cached row.
pub async fn end_all_sessions<C: ConnectionTrait>(
    conn: &C,
    user_id: i64,
    status: Option<&str>,
) -> Result<Option<UserRow>> {
    refresh_tokens::revoke_user(conn, user_id).await?;
    user_tokens::invalidate(conn, user_id, user_tokens::DOWNLOAD).await?;
    users::end_tokens(conn, user_id, status).await
}

/// Drops `user_id` from this process's authentication cache, so a generation bump or a status
/// change is seen by the next request (other processes see it within `auth_cache_ttl`).
pub fn forget(app: &App, user_id: i64) {
    app.auth_users().invalidate(&user_id);
}
