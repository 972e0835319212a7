//! The `dedup_rules` table: CRM deduplication rules, the same email/phone within a window is rejected, across all
//! affiliates or within one affiliate's leads.

use brokercrm_core::Result;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};

use crate::db::now;
use crate::entities::dedup_rules::{self, Entity as DedupRule};
use crate::error::DbResultExt;

pub use crate::entities::dedup_rules::Model as DedupRuleRow;

/// The mutable part of a rule.
#[derive(Debug, Clone)]
pub struct DedupRuleData {
    pub field: String,
    pub scope: String,
    pub window_secs: i64,
    pub active: bool,
}

pub async fn insert<C: ConnectionTrait>(
    conn: &C,
    uuid: &str,
    d: DedupRuleData,
) -> Result<DedupRuleRow> {
    dedup_rules::ActiveModel {
        uuid: Set(uuid.to_owned()),
        field: Set(d.field),
        scope: Set(d.scope),
        window_secs: Set(d.window_secs),
        active: Set(d.active),
        created_at: Set(now()),
        ..Default::default()
    }
    .insert(conn)
    .await
    .db()
}

pub async fn update<C: ConnectionTrait>(conn: &C, id: i64, d: DedupRuleData) -> Result<()> {
    DedupRule::update_many()
        .col_expr(dedup_rules::Column::Field, Expr::value(d.field))
        .col_expr(dedup_rules::Column::Scope, Expr::value(d.scope))
        .col_expr(dedup_rules::Column::WindowSecs, Expr::value(d.window_secs))
        .col_expr(dedup_rules::Column::Active, Expr::value(d.active))
        .filter(dedup_rules::Column::Id.eq(id))
        .exec(conn)
        .await
        .db()
        .map(|_| ())
}

pub async fn find_by_uuid<C: ConnectionTrait>(
    conn: &C,
    uuid: &str,
) -> Result<Option<DedupRuleRow>> {
    DedupRule::find().filter(dedup_rules::Column::Uuid.eq(uuid)).one(conn).await.db()
}

/// One page, by id.
pub async fn list<C: ConnectionTrait>(
    conn: &C,
    offset: u64,
    limit: u64,
) -> Result<Vec<DedupRuleRow>> {
    DedupRule::find()
        .order_by_asc(dedup_rules::Column::Id)
        .offset(offset)
        .limit(limit)
        .all(conn)
        .await
        .db()
}

pub async fn delete<C: ConnectionTrait>(conn: &C, id: i64) -> Result<()> {
    DedupRule::delete_by_id(id).exec(conn).await.db().map(|_| ())
}

/// The active rules, by id (the intake hot path).
pub async fn list_active<C: ConnectionTrait>(conn: &C) -> Result<Vec<DedupRuleRow>> {
    DedupRule::find()
        .filter(dedup_rules::Column::Active.eq(true))
        .order_by_asc(dedup_rules::Column::Id)
        .all(conn)
        .await
        .db()
}
