//! Trading groups: list, find by id or name, insert (unique name), update, delete (refused
//! while wallets use the group: the foreign key answers `Conflict`).

use brokercrm_core::Result;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};

use crate::db::now;
use crate::entities::trading_groups::{self, Column as G, Entity as Group};
use crate::error::DbResultExt;

pub use crate::entities::trading_groups::Model as GroupRow;

/// A group's stored fields (validated in `core`/`app`).
#[derive(Debug, Clone)]
pub struct GroupData {
    pub name: String,
    pub leverage: i32,
    pub currency: String,
    pub adapter_name: String,
    pub disable_swap_charges: bool,
    /// JSON array text.
    pub markups: String,
    /// JSON array text.
    pub commissions: String,
    /// Hundredths of a percent.
    pub margin_call_level: i32,
    /// Hundredths of a percent.
    pub stop_out_level: i32,
}

/// Every group by id (groups are few: a broker has tens, not thousands).
pub async fn list<C: ConnectionTrait>(conn: &C) -> Result<Vec<GroupRow>> {
    Group::find().order_by_asc(G::Id).all(conn).await.db()
}

pub async fn find<C: ConnectionTrait>(conn: &C, id: i64) -> Result<Option<GroupRow>> {
    Group::find_by_id(id).one(conn).await.db()
}

pub async fn find_by_name<C: ConnectionTrait>(conn: &C, name: &str) -> Result<Option<GroupRow>> {
    Group::find().filter(G::Name.eq(name)).one(conn).await.db()
}

/// The groups with these ids.
pub async fn find_many<C: ConnectionTrait>(conn: &C, ids: &[i64]) -> Result<Vec<GroupRow>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Group::find().filter(G::Id.is_in(ids.iter().copied())).all(conn).await.db()
}

/// Inserts a group; a taken name is a `Conflict`.
pub async fn insert<C: ConnectionTrait>(conn: &C, d: GroupData) -> Result<GroupRow> {
    let t = now();
    trading_groups::ActiveModel {
        name: Set(d.name),
        leverage: Set(d.leverage),
        currency: Set(d.currency),
        adapter_name: Set(d.adapter_name),
        disable_swap_charges: Set(d.disable_swap_charges),
        markups: Set(d.markups),
        commissions: Set(d.commissions),
        margin_call_level: Set(d.margin_call_level),
        stop_out_level: Set(d.stop_out_level),
        created_at: Set(t),
        updated_at: Set(t),
        ..Default::default()
    }
    .insert(conn)
    .await
    .db()
}

/// Replaces every field but name and currency; returns whether the group exists.
pub async fn update<C: ConnectionTrait>(conn: &C, id: i64, d: GroupData) -> Result<bool> {
    let res = Group::update_many()
        .col_expr(G::Leverage, Expr::value(d.leverage))
        .col_expr(G::AdapterName, Expr::value(d.adapter_name))
        .col_expr(G::DisableSwapCharges, Expr::value(d.disable_swap_charges))
        .col_expr(G::Markups, Expr::value(d.markups))
        .col_expr(G::Commissions, Expr::value(d.commissions))
        .col_expr(G::MarginCallLevel, Expr::value(d.margin_call_level))
        .col_expr(G::StopOutLevel, Expr::value(d.stop_out_level))
        .col_expr(G::UpdatedAt, Expr::value(now()))
        .filter(G::Id.eq(id))
        .exec(conn)
        .await
        .db()?;
    Ok(res.rows_affected == 1)
}

/// Deletes a group; returns whether it existed. A group used by wallets is a `Conflict`.
pub async fn delete<C: ConnectionTrait>(conn: &C, id: i64) -> Result<bool> {
    let res = Group::delete_many().filter(G::Id.eq(id)).exec(conn).await.db()?;
    Ok(res.rows_affected == 1)
}
