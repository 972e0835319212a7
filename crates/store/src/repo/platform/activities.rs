//! Activities (the audit log): append and list.

use brokercrm_core::Result;
use sea_orm::sea_query::{Expr, ExprTrait, Func, LikeExpr};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};

use crate::db::now;
use crate::entities::activities::{self, Entity as Activity};
use crate::error::DbResultExt;

pub use crate::entities::activities::Model as ActivityRow;

/// An entry to append.
#[derive(Debug, Clone, Default)]
pub struct NewActivity {
    pub actor_id: Option<i64>,
    pub actor_email: Option<String>,
    pub kind: String,
    pub details: String,
    pub entity: Option<String>,
    pub entity_id: Option<String>,
    pub before: Option<String>,
    pub after: Option<String>,
    pub ip: Option<String>,
}

pub async fn insert<C: ConnectionTrait>(conn: &C, a: NewActivity) -> Result<i64> {
    Ok(row_of(a).insert(conn).await.db()?.id)
}

/// Appends several entries in one statement (a group-commit batch's audit).
pub async fn insert_many<C: ConnectionTrait>(conn: &C, list: Vec<NewActivity>) -> Result<()> {
    if list.is_empty() {
        return Ok(());
    }
    activities::Entity::insert_many(list.into_iter().map(row_of))
        .exec_without_returning(conn)
        .await
        .db()
        .map(|_| ())
}

fn row_of(a: NewActivity) -> activities::ActiveModel {
    activities::ActiveModel {
        actor_id: Set(a.actor_id),
        actor_email: Set(a.actor_email),
        r#type: Set(a.kind),
        details: Set(a.details),
        entity: Set(a.entity),
        entity_id: Set(a.entity_id),
        before: Set(a.before),
        after: Set(a.after),
        ip: Set(a.ip),
        created_at: Set(now()),
        ..Default::default()
    }
}

/// Filters for listing.
#[derive(Debug, Clone, Default)]
pub struct ActivityFilter {
    pub kind: Option<String>,
    pub actor_id: Option<i64>,
    pub entity: Option<String>,
    pub entity_id: Option<String>,
    /// Substring of details.
    pub search: Option<String>,
}

/// Newest first, with the total count of matching rows.
pub async fn list<C: ConnectionTrait>(
    conn: &C,
    f: &ActivityFilter,
    limit: u64,
    offset: u64,
) -> Result<(Vec<ActivityRow>, u64)> {
    let mut q = Activity::find();
    if let Some(k) = &f.kind {
        q = q.filter(activities::Column::Type.eq(k.as_str()));
    }
    if let Some(a) = f.actor_id {
        q = q.filter(activities::Column::ActorId.eq(a));
    }
    if let Some(e) = &f.entity {
        q = q.filter(activities::Column::Entity.eq(e.as_str()));
    }
    if let Some(e) = &f.entity_id {
        q = q.filter(activities::Column::EntityId.eq(e.as_str()));
    }
    if let Some(s) = f.search.as_deref().filter(|s| !s.is_empty()) {
        // Case-insensitive on both backends (PostgreSQL's LIKE is case-sensitive), with the
        // LIKE wildcards of the search text escaped.
        let escaped =
            s.to_lowercase().replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
        let pattern = LikeExpr::new(format!("%{escaped}%")).escape('\\');
        q = q.filter(Expr::expr(Func::lower(Expr::col(activities::Column::Details))).like(pattern));
    }
    let total = q.clone().count(conn).await.db()?;
    let rows =
        q.order_by_desc(activities::Column::Id).limit(limit).offset(offset).all(conn).await.db()?;
    Ok((rows, total))
}
