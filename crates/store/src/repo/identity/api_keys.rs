//! Integration API keys: stored as a public prefix plus a SHA-256 hash of the secret.

use brokercrm_core::Result;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};

use crate::db::now;
use crate::entities::api_keys::{self, Entity as ApiKey};
use crate::error::DbResultExt;

pub use crate::entities::api_keys::Model as ApiKeyRow;

#[derive(Debug, Clone)]
pub struct NewApiKey {
    pub uuid: String,
    pub name: String,
    pub prefix: String,
    pub key_hash: String,
    pub role: String,
    pub owner_user_id: Option<i64>,
    pub created_by: Option<i64>,
}

pub async fn insert<C: ConnectionTrait>(conn: &C, k: NewApiKey) -> Result<ApiKeyRow> {
    api_keys::ActiveModel {
        uuid: Set(k.uuid),
        name: Set(k.name),
        prefix: Set(k.prefix),
        key_hash: Set(k.key_hash),
        role: Set(k.role),
        owner_user_id: Set(k.owner_user_id),
        created_by: Set(k.created_by),
        last_used_at: Set(None),
        revoked_at: Set(None),
        created_at: Set(now()),
        ..Default::default()
    }
    .insert(conn)
    .await
    .db()
}

pub async fn find_by_prefix<C: ConnectionTrait>(
    conn: &C,
    prefix: &str,
) -> Result<Option<ApiKeyRow>> {
    ApiKey::find().filter(api_keys::Column::Prefix.eq(prefix)).one(conn).await.db()
}

pub async fn find_by_uuid<C: ConnectionTrait>(conn: &C, uuid: &str) -> Result<Option<ApiKeyRow>> {
    ApiKey::find().filter(api_keys::Column::Uuid.eq(uuid)).one(conn).await.db()
}

/// Keys newest first, one page.
pub async fn list<C: ConnectionTrait>(conn: &C, offset: u64, limit: u64) -> Result<Vec<ApiKeyRow>> {
    ApiKey::find()
        .order_by_desc(api_keys::Column::Id)
        .offset(offset)
        .limit(limit)
        .all(conn)
        .await
        .db()
}

/// Revokes every active key named `name`; returns how many.
pub async fn revoke_by_name<C: ConnectionTrait>(conn: &C, name: &str) -> Result<u64> {
    let res = ApiKey::update_many()
        .col_expr(api_keys::Column::RevokedAt, Expr::value(now()))
        .filter(api_keys::Column::Name.eq(name))
        .filter(api_keys::Column::RevokedAt.is_null())
        .exec(conn)
        .await
        .db()?;
    Ok(res.rows_affected)
}

pub async fn touch<C: ConnectionTrait>(conn: &C, id: i64) -> Result<()> {
    ApiKey::update_many()
        .col_expr(api_keys::Column::LastUsedAt, Expr::value(now()))
        .filter(api_keys::Column::Id.eq(id))
        .exec(conn)
        .await
        .db()
        .map(|_| ())
}

/// Revokes a key; returns false if it was unknown or already revoked.
pub async fn revoke<C: ConnectionTrait>(conn: &C, uuid: &str) -> Result<bool> {
    let res = ApiKey::update_many()
        .col_expr(api_keys::Column::RevokedAt, Expr::value(now()))
        .filter(api_keys::Column::Uuid.eq(uuid))
        .filter(api_keys::Column::RevokedAt.is_null())
        .exec(conn)
        .await
        .db()?;
    Ok(res.rows_affected == 1)
}
