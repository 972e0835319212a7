//! Activities (the audit log): append and list.

use brokercrm_core::Result;
use sea_orm::sea_query::{Expr, ExprTrait, Func, LikeExpr};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Set, Statement, Value,
};

use crate::db::{now, nullable};
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

const INSERT_ARRAYS: &str = r#"
INSERT INTO activities (actor_id, actor_email, type, details, entity, entity_id, before, after,
                        ip, created_at)
SELECT CASE WHEN a.has_actor_id THEN a.actor_id END,
       CASE WHEN a.has_actor_email THEN a.actor_email END,
       a.type, a.details,
       CASE WHEN a.has_entity THEN a.entity END,
       CASE WHEN a.has_entity_id THEN a.entity_id END,
       CASE WHEN a.has_before THEN a.before END,
       CASE WHEN a.has_after THEN a.after END,
       CASE WHEN a.has_ip THEN a.ip END,
       $17
FROM UNNEST($1::int8[], $2::bool[], $3::text[], $4::bool[], $5::text[], $6::text[],
            $7::text[], $8::bool[], $9::text[], $10::bool[], $11::text[], $12::bool[],
            $13::text[], $14::bool[], $15::text[], $16::bool[])
    WITH ORDINALITY
    AS a(actor_id, has_actor_id, actor_email, has_actor_email, type, details, entity,
         has_entity, entity_id, has_entity_id, before, has_before, after, has_after, ip,
         has_ip, n)
ORDER BY a.n
"#;

/// Appends several entries in one statement (a group-commit batch's audit). On PostgreSQL a
/// statement of arrays whose text is the same for any number of entries (prepared once per
/// connection); on SQLite a multi-row insert.
pub async fn insert_many<C: ConnectionTrait>(conn: &C, list: Vec<NewActivity>) -> Result<()> {
    if list.is_empty() {
        return Ok(());
    }
    if conn.get_database_backend() == DbBackend::Postgres {
        return insert_arrays(conn, list).await;
    }
    activities::Entity::insert_many(list.into_iter().map(row_of))
        .exec_without_returning(conn)
        .await
        .db()
        .map(|_| ())
}

async fn insert_arrays<C: ConnectionTrait>(conn: &C, list: Vec<NewActivity>) -> Result<()> {
    let texts = |f: &dyn Fn(&NewActivity) -> String| -> Value {
        list.iter().map(f).collect::<Vec<String>>().into()
    };
    let opt = |f: &dyn Fn(&NewActivity) -> Option<String>| nullable(list.iter().map(f));
    let (actor_id, has_actor_id) = nullable(list.iter().map(|a| a.actor_id));
    let (actor_email, has_actor_email) = opt(&|a| a.actor_email.clone());
    let (entity, has_entity) = opt(&|a| a.entity.clone());
    let (entity_id, has_entity_id) = opt(&|a| a.entity_id.clone());
    let (before, has_before) = opt(&|a| a.before.clone());
    let (after, has_after) = opt(&|a| a.after.clone());
    let (ip, has_ip) = opt(&|a| a.ip.clone());
    let values = vec![
        actor_id,
        has_actor_id,
        actor_email,
        has_actor_email,
        texts(&|a| a.kind.clone()),
        texts(&|a| a.details.clone()),
        entity,
        has_entity,
        entity_id,
        has_entity_id,
        before,
        has_before,
        after,
        has_after,
        ip,
        has_ip,
        now().into(),
    ];
    conn.execute_raw(Statement::from_sql_and_values(DbBackend::Postgres, INSERT_ARRAYS, values))
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
