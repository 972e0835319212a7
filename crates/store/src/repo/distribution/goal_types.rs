//! The `goal_types` table: goal types ("Lead", "FTD" and admin-defined ones); names are
//! unique. The FTDs that reach them are in [`super::ftd`].

use brokercrm_core::Result;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};

use crate::db::now;
use crate::entities::goal_types::{self, Entity as GoalType};
use crate::error::DbResultExt;

pub use crate::entities::goal_types::Model as GoalTypeRow;

/// Inserts a goal type; a taken name is a `Conflict` (unique index).
pub async fn insert<C: ConnectionTrait>(
    conn: &C,
    uuid: &str,
    name: &str,
    system: bool,
) -> Result<GoalTypeRow> {
    goal_types::ActiveModel {
        uuid: Set(uuid.to_owned()),
        name: Set(name.to_owned()),
        system: Set(system),
        created_at: Set(now()),
        ..Default::default()
    }
    .insert(conn)
    .await
    .db()
}

/// Inserts a system goal type named `name` unless one of that name exists (first writer
/// wins), marks it system, and returns it.
pub async fn ensure_system<C: ConnectionTrait>(conn: &C, name: &str) -> Result<GoalTypeRow> {
    let row = goal_types::ActiveModel {
        uuid: Set(uuid::Uuid::now_v7().to_string()),
        name: Set(name.to_owned()),
        system: Set(true),
        created_at: Set(now()),
        ..Default::default()
    };
    GoalType::insert(row)
        .on_conflict_do_nothing_on([goal_types::Column::Name])
        .exec_without_returning(conn)
        .await
        .db()?;
    let found = find_by_name(conn, name).await?;
    match found {
        Some(row) if !row.system => {
            GoalType::update_many()
                .col_expr(goal_types::Column::System, Expr::value(true))
                .filter(goal_types::Column::Id.eq(row.id))
                .exec(conn)
                .await
                .db()?;
            Ok(GoalTypeRow { system: true, ..row })
        }
        Some(row) => Ok(row),
        None => Err(brokercrm_core::Error::internal(format!("goal type {name} missing"))),
    }
}

pub async fn find_by_uuid<C: ConnectionTrait>(conn: &C, uuid: &str) -> Result<Option<GoalTypeRow>> {
    GoalType::find().filter(goal_types::Column::Uuid.eq(uuid)).one(conn).await.db()
}

pub async fn find_by_name<C: ConnectionTrait>(conn: &C, name: &str) -> Result<Option<GoalTypeRow>> {
    GoalType::find().filter(goal_types::Column::Name.eq(name)).one(conn).await.db()
}

/// Goal types with these ids (any order).
pub async fn find_by_ids<C: ConnectionTrait>(conn: &C, ids: &[i64]) -> Result<Vec<GoalTypeRow>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    GoalType::find().filter(goal_types::Column::Id.is_in(ids.to_vec())).all(conn).await.db()
}

/// Every goal type, by id.
pub async fn all<C: ConnectionTrait>(conn: &C) -> Result<Vec<GoalTypeRow>> {
    GoalType::find().order_by_asc(goal_types::Column::Id).all(conn).await.db()
}

/// One page, by id.
pub async fn list<C: ConnectionTrait>(
    conn: &C,
    offset: u64,
    limit: u64,
) -> Result<Vec<GoalTypeRow>> {
    GoalType::find()
        .order_by_asc(goal_types::Column::Id)
        .offset(offset)
        .limit(limit)
        .all(conn)
        .await
        .db()
}

/// Renames a goal type; a taken name is a `Conflict`.
pub async fn rename<C: ConnectionTrait>(conn: &C, id: i64, name: &str) -> Result<()> {
    GoalType::update_many()
        .col_expr(goal_types::Column::Name, Expr::value(name))
        .filter(goal_types::Column::Id.eq(id))
        .exec(conn)
        .await
        .db()
        .map(|_| ())
}

pub async fn delete<C: ConnectionTrait>(conn: &C, id: i64) -> Result<()> {
    GoalType::delete_by_id(id).exec(conn).await.db().map(|_| ())
}
