//! Sales statuses: a name (unique regardless of case) and a colour.

use brokercrm_core::Result;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, QuerySelect, Set,
};

use crate::db::now;
use crate::entities::sales_statuses::{self, Entity as SalesStatus};
use crate::error::DbResultExt;

pub use crate::entities::sales_statuses::Model as SalesStatusRow;

/// The key that makes names unique: trimmed and lower-cased.
pub fn key_of(status: &str) -> String {
    status.trim().to_lowercase()
}

/// Inserts a status; a taken name is a `Conflict` (unique index on the key).
pub async fn insert<C: ConnectionTrait>(
    conn: &C,
    status: &str,
    color: &str,
) -> Result<SalesStatusRow> {
    let t = now();
    sales_statuses::ActiveModel {
        status: Set(status.to_owned()),
        status_key: Set(key_of(status)),
        color: Set(color.to_owned()),
        created_at: Set(t),
        updated_at: Set(t),
        ..Default::default()
    }
    .insert(conn)
    .await
    .db()
}

pub async fn find_by_id<C: ConnectionTrait>(conn: &C, id: i64) -> Result<Option<SalesStatusRow>> {
    SalesStatus::find_by_id(id).one(conn).await.db()
}

/// Statuses with these ids (any order).
pub async fn find_by_ids<C: ConnectionTrait>(conn: &C, ids: &[i64]) -> Result<Vec<SalesStatusRow>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    SalesStatus::find().filter(sales_statuses::Column::Id.is_in(ids.to_vec())).all(conn).await.db()
}

/// The status named `status`, compared without case.
pub async fn find_by_name<C: ConnectionTrait>(
    conn: &C,
    status: &str,
) -> Result<Option<SalesStatusRow>> {
    SalesStatus::find()
        .filter(sales_statuses::Column::StatusKey.eq(key_of(status)))
        .one(conn)
        .await
        .db()
}

/// The first `limit` statuses by id.
pub async fn list<C: ConnectionTrait>(conn: &C, limit: u64) -> Result<Vec<SalesStatusRow>> {
    SalesStatus::find().order_by_asc(sales_statuses::Column::Id).limit(limit).all(conn).await.db()
}

/// Writes a new name and/or colour; a taken name is a `Conflict`.
pub async fn update<C: ConnectionTrait>(
    conn: &C,
    row: SalesStatusRow,
    status: Option<&str>,
    color: Option<&str>,
) -> Result<SalesStatusRow> {
    let mut am = row.into_active_model();
    if let Some(s) = status {
        am.status = Set(s.to_owned());
        am.status_key = Set(key_of(s));
    }
    if let Some(c) = color {
        am.color = Set(c.to_owned());
    }
    am.updated_at = Set(now());
    am.update(conn).await.db()
}
