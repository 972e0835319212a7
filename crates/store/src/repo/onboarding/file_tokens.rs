//! Short-lived, single-use file tokens (stored hashed): issue, and spend exactly once.

use brokercrm_core::Result;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

use crate::db::now;
use crate::entities::file_tokens::{self as ft, Entity as FileToken};
use crate::error::DbResultExt;

/// Records a token for `document_id`, valid until `expires_at`.
pub async fn insert<C: ConnectionTrait>(
    conn: &C,
    token_hash: &str,
    document_id: i64,
    expires_at: DateTime<Utc>,
) -> Result<()> {
    ft::ActiveModel {
        token_hash: Set(token_hash.to_owned()),
        document_id: Set(document_id),
        expires_at: Set(expires_at),
        used_at: Set(None),
        created_at: Set(now()),
        ..Default::default()
    }
    .insert(conn)
    .await
    .db()
    .map(|_| ())
}

/// Spends the token with `token_hash` if unused and unexpired at `at`, in one conditional
/// update (two concurrent redemptions cannot both succeed); returns its document id.
pub async fn spend<C: ConnectionTrait>(
    conn: &C,
    token_hash: &str,
    at: DateTime<Utc>,
) -> Result<Option<i64>> {
    let t = at;
    let done = FileToken::update_many()
        .col_expr(ft::Column::UsedAt, Expr::value(t))
        .filter(ft::Column::TokenHash.eq(token_hash))
        .filter(ft::Column::UsedAt.is_null())
        .filter(ft::Column::ExpiresAt.gt(t))
        .exec(conn)
        .await
        .db()?;
    if done.rows_affected != 1 {
        return Ok(None);
    }
    Ok(FileToken::find()
        .filter(ft::Column::TokenHash.eq(token_hash))
        .one(conn)
        .await
        .db()?
        .map(|r| r.document_id))
}
