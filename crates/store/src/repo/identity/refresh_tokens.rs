//! The `refresh_tokens` table: refresh tokens stored as SHA-256 hashes, grouped in rotation
//! families, single use; revoked by family, user or OAuth client.

use brokercrm_core::Result;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};

use crate::db::now;
use crate::entities::refresh_tokens::{self, Entity as RefreshToken};
use crate::error::DbResultExt;

pub use crate::entities::refresh_tokens::Model as RefreshTokenRow;

pub async fn insert<C: ConnectionTrait>(
    conn: &C,
    user_id: i64,
    token_hash: &str,
    family: &str,
    client_id: Option<&str>,
    expires_at: DateTime<Utc>,
) -> Result<RefreshTokenRow> {
    refresh_tokens::ActiveModel {
        user_id: Set(user_id),
        token_hash: Set(token_hash.to_owned()),
        family: Set(family.to_owned()),
        client_id: Set(client_id.map(str::to_owned)),
        expires_at: Set(expires_at),
        used_at: Set(None),
        revoked_at: Set(None),
        created_at: Set(now()),
        ..Default::default()
    }
    .insert(conn)
    .await
    .db()
}

pub async fn find_by_hash<C: ConnectionTrait>(
    conn: &C,
    token_hash: &str,
) -> Result<Option<RefreshTokenRow>> {
    RefreshToken::find()
        .filter(refresh_tokens::Column::TokenHash.eq(token_hash))
        .one(conn)
        .await
        .db()
}

/// Marks the token used if it is still unused and unrevoked; false when someone else got
/// there first (the conditional update decides races).
pub async fn mark_used<C: ConnectionTrait>(conn: &C, id: i64) -> Result<bool> {
    let res = RefreshToken::update_many()
        .col_expr(refresh_tokens::Column::UsedAt, Expr::value(now()))
        .filter(refresh_tokens::Column::Id.eq(id))
        .filter(refresh_tokens::Column::UsedAt.is_null())
        .filter(refresh_tokens::Column::RevokedAt.is_null())
        .exec(conn)
        .await
        .db()?;
    Ok(res.rows_affected == 1)
}

/// Revokes every token of a rotation family (logout, or reuse of a used token).
pub async fn revoke_family<C: ConnectionTrait>(conn: &C, family: &str) -> Result<u64> {
    let res = RefreshToken::update_many()
        .col_expr(refresh_tokens::Column::RevokedAt, Expr::value(now()))
        .filter(refresh_tokens::Column::Family.eq(family))
        .filter(refresh_tokens::Column::RevokedAt.is_null())
        .exec(conn)
        .await
        .db()?;
    Ok(res.rows_affected)
}

/// Revokes every token of a user (password change, account disabled).
pub async fn revoke_user<C: ConnectionTrait>(conn: &C, user_id: i64) -> Result<u64> {
    let res = RefreshToken::update_many()
        .col_expr(refresh_tokens::Column::RevokedAt, Expr::value(now()))
        .filter(refresh_tokens::Column::UserId.eq(user_id))
        .filter(refresh_tokens::Column::RevokedAt.is_null())
        .exec(conn)
        .await
        .db()?;
    Ok(res.rows_affected)
}

/// Revokes every token issued to OAuth client `client_id` (the client was revoked at `at`).
pub async fn revoke_client<C: ConnectionTrait>(
    conn: &C,
    client_id: &str,
    at: DateTime<Utc>,
) -> Result<u64> {
    let res = RefreshToken::update_many()
        .col_expr(refresh_tokens::Column::RevokedAt, Expr::value(at))
        .filter(refresh_tokens::Column::ClientId.eq(client_id))
        .filter(refresh_tokens::Column::RevokedAt.is_null())
        .exec(conn)
        .await
        .db()?;
    Ok(res.rows_affected)
}

/// The first token of `user_id` and OAuth client `client_id` created at or after `since`.
pub async fn first_since<C: ConnectionTrait>(
    conn: &C,
    user_id: i64,
    client_id: &str,
    since: DateTime<Utc>,
) -> Result<Option<RefreshTokenRow>> {
    RefreshToken::find()
        .filter(refresh_tokens::Column::UserId.eq(user_id))
        .filter(refresh_tokens::Column::ClientId.eq(client_id))
        .filter(refresh_tokens::Column::CreatedAt.gte(since))
        .order_by_asc(refresh_tokens::Column::CreatedAt)
        .order_by_asc(refresh_tokens::Column::Id)
        .one(conn)
        .await
        .db()
}
