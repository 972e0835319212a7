//! OAuth2 clients (secret stored as a SHA-256 hash, redirect URIs as a JSON array) and
//! authorization codes (stored hashed, consumed once by a conditional update).

use brokercrm_core::{Error, Result};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};

use crate::db::now;
use crate::entities::oauth_clients::{self, Entity as OAuthClient};
use crate::entities::oauth_codes::{self, Entity as OAuthCode};
use crate::error::DbResultExt;
use crate::repo::identity::refresh_tokens;

pub use crate::entities::oauth_clients::Model as OAuthClientRow;
pub use crate::entities::oauth_codes::Model as OAuthCodeRow;

/// A client to register. `secret_hash` is the SHA-256 hex of the secret.
#[derive(Debug, Clone)]
pub struct NewClient {
    pub client_id: String,
    pub name: String,
    pub secret_hash: String,
    pub redirect_uris: Vec<String>,
}

/// The registered redirect URIs of a client row.
pub fn redirect_uris(row: &OAuthClientRow) -> Result<Vec<String>> {
    serde_json::from_str(&row.redirect_uris).map_err(Error::internal)
}

pub async fn insert_client<C: ConnectionTrait>(conn: &C, c: NewClient) -> Result<OAuthClientRow> {
    oauth_clients::ActiveModel {
        client_id: Set(c.client_id),
        name: Set(c.name),
        secret_hash: Set(c.secret_hash),
        redirect_uris: Set(serde_json::to_string(&c.redirect_uris).map_err(Error::internal)?),
        revoked_at: Set(None),
        created_at: Set(now()),
    }
    .insert(conn)
    .await
    .db()
}

/// A client by id, revoked or not.
pub async fn find_client<C: ConnectionTrait>(
    conn: &C,
    client_id: &str,
) -> Result<Option<OAuthClientRow>> {
    OAuthClient::find_by_id(client_id.to_owned()).one(conn).await.db()
}

/// Clients, newest first, at most `limit` after skipping `offset`.
pub async fn list_clients<C: ConnectionTrait>(
    conn: &C,
    offset: u64,
    limit: u64,
) -> Result<Vec<OAuthClientRow>> {
    OAuthClient::find()
        .order_by_desc(oauth_clients::Column::CreatedAt)
        .order_by_asc(oauth_clients::Column::ClientId)
        .offset(offset)
        .limit(limit)
        .all(conn)
        .await
        .db()
}

/// Revokes a client and every refresh token issued to it; false if it was unknown or
/// already revoked.
pub async fn revoke_client<C: ConnectionTrait>(conn: &C, client_id: &str) -> Result<bool> {
    let t = now();
    let res = OAuthClient::update_many()
        .col_expr(oauth_clients::Column::RevokedAt, Expr::value(t))
        .filter(oauth_clients::Column::ClientId.eq(client_id))
        .filter(oauth_clients::Column::RevokedAt.is_null())
        .exec(conn)
        .await
        .db()?;
    if res.rows_affected != 1 {
        return Ok(false);
    }
    refresh_tokens::revoke_client(conn, client_id, t).await?;
    Ok(true)
}

/// An authorization code to store. `code_hash` is the SHA-256 hex of the code.
#[derive(Debug, Clone)]
pub struct NewCode {
    pub code_hash: String,
    pub client_id: String,
    pub user_id: i64,
    pub redirect_uri: String,
    pub code_challenge: String,
    pub code_challenge_method: String,
    pub scope: Option<String>,
    pub expires_at: DateTime<Utc>,
}

pub async fn insert_code<C: ConnectionTrait>(conn: &C, c: NewCode) -> Result<OAuthCodeRow> {
    oauth_codes::ActiveModel {
        code_hash: Set(c.code_hash),
        client_id: Set(c.client_id),
        user_id: Set(c.user_id),
        redirect_uri: Set(c.redirect_uri),
        code_challenge: Set(Some(c.code_challenge)),
        code_challenge_method: Set(Some(c.code_challenge_method)),
        scope: Set(c.scope),
        expires_at: Set(c.expires_at),
        used_at: Set(None),
        created_at: Set(now()),
    }
    .insert(conn)
    .await
    .db()
}

pub async fn find_code<C: ConnectionTrait>(
    conn: &C,
    code_hash: &str,
) -> Result<Option<OAuthCodeRow>> {
    OAuthCode::find_by_id(code_hash.to_owned()).one(conn).await.db()
}

/// Marks the code used if it still is unused; false when another exchange got there first
/// (the conditional update decides races).
pub async fn consume_code<C: ConnectionTrait>(conn: &C, code_hash: &str) -> Result<bool> {
    let res = OAuthCode::update_many()
        .col_expr(oauth_codes::Column::UsedAt, Expr::value(now()))
        .filter(oauth_codes::Column::CodeHash.eq(code_hash))
        .filter(oauth_codes::Column::UsedAt.is_null())
        .exec(conn)
        .await
        .db()?;
    Ok(res.rows_affected == 1)
}

/// Revokes the refresh-token family issued from a spent code (RFC 6749 §4.1.2: a reused
/// code SHOULD revoke its tokens): the first token of the code's user and client created
/// at or after the code was used starts that family, since both are written in one
/// transaction. Returns the number of tokens revoked.
pub async fn revoke_tokens_of_code<C: ConnectionTrait>(
    conn: &C,
    code: &OAuthCodeRow,
) -> Result<u64> {
    let Some(used_at) = code.used_at else { return Ok(0) };
    let first = refresh_tokens::first_since(conn, code.user_id, &code.client_id, used_at).await?;
    let Some(first) = first else { return Ok(0) };
    refresh_tokens::revoke_family(conn, &first.family).await
}

/// Deletes codes that expired before `before` (housekeeping).
pub async fn delete_expired_codes<C: ConnectionTrait>(
    conn: &C,
    before: DateTime<Utc>,
) -> Result<u64> {
    let res = OAuthCode::delete_many()
        .filter(oauth_codes::Column::ExpiresAt.lt(before))
        .exec(conn)
        .await
        .db()?;
    Ok(res.rows_affected)
}
