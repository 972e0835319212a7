//! Market-data applications: the API key as a public prefix plus a SHA-256 hash, and the rules.

use brokercrm_core::Result;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, QuerySelect, Set,
};

use crate::entities::md_applications::{self as t, Column as Col, Entity as Apps};
use crate::error::DbResultExt;

pub use crate::entities::md_applications::Model as ApplicationRow;

/// The rules of an application as written.
#[derive(Debug, Clone)]
pub struct AppRules {
    pub name: String,
    pub credentials_enabled: bool,
    pub confirmation_required: bool,
    pub cancel_mode: String,
    pub allowed_statuses: String,
    pub success_redirect_url: Option<String>,
}

pub async fn insert<C: ConnectionTrait>(
    conn: &C,
    uuid: String,
    key_prefix: String,
    key_hash: String,
    r: AppRules,
    at: DateTime<Utc>,
) -> Result<ApplicationRow> {
    t::ActiveModel {
        uuid: Set(uuid),
        name: Set(r.name),
        key_prefix: Set(key_prefix),
        key_hash: Set(key_hash),
        credentials_enabled: Set(r.credentials_enabled),
        confirmation_required: Set(r.confirmation_required),
        cancel_mode: Set(r.cancel_mode),
        allowed_statuses: Set(r.allowed_statuses),
        success_redirect_url: Set(r.success_redirect_url),
        created_at: Set(at),
        updated_at: Set(at),
        revoked_at: Set(None),
        ..Default::default()
    }
    .insert(conn)
    .await
    .db()
}

/// Replaces the rules of `row`.
pub async fn update<C: ConnectionTrait>(
    conn: &C,
    row: ApplicationRow,
    r: AppRules,
    at: DateTime<Utc>,
) -> Result<ApplicationRow> {
    let mut m = row.into_active_model();
    m.name = Set(r.name);
    m.credentials_enabled = Set(r.credentials_enabled);
    m.confirmation_required = Set(r.confirmation_required);
    m.cancel_mode = Set(r.cancel_mode);
    m.allowed_statuses = Set(r.allowed_statuses);
    m.success_redirect_url = Set(r.success_redirect_url);
    m.updated_at = Set(at);
    m.update(conn).await.db()
}

/// The application of a key prefix, revoked or not.
pub async fn find_by_prefix<C: ConnectionTrait>(
    conn: &C,
    prefix: &str,
) -> Result<Option<ApplicationRow>> {
    Apps::find().filter(Col::KeyPrefix.eq(prefix)).one(conn).await.db()
}

pub async fn find_by_uuid<C: ConnectionTrait>(
    conn: &C,
    uuid: &str,
) -> Result<Option<ApplicationRow>> {
    Apps::find().filter(Col::Uuid.eq(uuid)).one(conn).await.db()
}

pub async fn find_by_id<C: ConnectionTrait>(conn: &C, id: i64) -> Result<Option<ApplicationRow>> {
    Apps::find_by_id(id).one(conn).await.db()
}

/// Applications by id, one page.
pub async fn list<C: ConnectionTrait>(
    conn: &C,
    offset: u64,
    limit: u64,
) -> Result<Vec<ApplicationRow>> {
    Apps::find().order_by_asc(Col::Id).offset(offset).limit(limit).all(conn).await.db()
}

/// Revokes the key; false when unknown or already revoked.
pub async fn revoke<C: ConnectionTrait>(conn: &C, uuid: &str, at: DateTime<Utc>) -> Result<bool> {
    let res = Apps::update_many()
        .col_expr(Col::RevokedAt, Expr::value(at))
        .filter(Col::Uuid.eq(uuid))
        .filter(Col::RevokedAt.is_null())
        .exec(conn)
        .await
        .db()?;
    Ok(res.rows_affected == 1)
}

/// Replaces the key of a live application; false when unknown or revoked.
pub async fn set_key<C: ConnectionTrait>(
    conn: &C,
    uuid: &str,
    key_prefix: String,
    key_hash: String,
    at: DateTime<Utc>,
) -> Result<bool> {
    let res = Apps::update_many()
        .col_expr(Col::KeyPrefix, Expr::value(key_prefix))
        .col_expr(Col::KeyHash, Expr::value(key_hash))
        .col_expr(Col::UpdatedAt, Expr::value(at))
        .filter(Col::Uuid.eq(uuid))
        .filter(Col::RevokedAt.is_null())
        .exec(conn)
        .await
        .db()?;
    Ok(res.rows_affected == 1)
}
