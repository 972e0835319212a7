//! Adapters: named, typed integration records (lead delivery and trading platforms) whose
//! JSON configuration is validated per type in `app`.

use brokercrm_core::Result;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};

use crate::db::now;
use crate::entities::adapters::{self, Entity as Adapter};
use crate::error::DbResultExt;

pub use crate::entities::adapters::Model as AdapterRow;

/// The mutable part of an adapter.
#[derive(Debug, Clone)]
pub struct AdapterData {
    pub kind: String,
    pub enabled: bool,
    pub is_trading: bool,
    /// JSON object.
    pub configuration: String,
}

/// Adapters ordered by name; only trading ones when `only_trading`.
pub async fn list<C: ConnectionTrait>(conn: &C, only_trading: bool) -> Result<Vec<AdapterRow>> {
    let mut q = Adapter::find();
    if only_trading {
        q = q.filter(adapters::Column::IsTrading.eq(true));
    }
    q.order_by_asc(adapters::Column::Name).all(conn).await.db()
}

pub async fn get<C: ConnectionTrait>(conn: &C, name: &str) -> Result<Option<AdapterRow>> {
    Adapter::find_by_id(name.to_owned()).one(conn).await.db()
}

/// Inserts a new adapter; a taken name is a `Conflict` (unique primary key).
pub async fn insert<C: ConnectionTrait>(
    conn: &C,
    name: &str,
    d: AdapterData,
) -> Result<AdapterRow> {
    let t = now();
    adapters::ActiveModel {
        name: Set(name.to_owned()),
        r#type: Set(d.kind),
        enabled: Set(d.enabled),
        is_trading: Set(d.is_trading),
        configuration: Set(d.configuration),
        created_at: Set(t),
        updated_at: Set(t),
    }
    .insert(conn)
    .await
    .db()
}

/// Replaces the mutable fields; returns whether the adapter exists.
pub async fn update<C: ConnectionTrait>(conn: &C, name: &str, d: AdapterData) -> Result<bool> {
    let res = Adapter::update_many()
        .col_expr(adapters::Column::Type, Expr::value(d.kind))
        .col_expr(adapters::Column::Enabled, Expr::value(d.enabled))
        .col_expr(adapters::Column::IsTrading, Expr::value(d.is_trading))
        .col_expr(adapters::Column::Configuration, Expr::value(d.configuration))
        .col_expr(adapters::Column::UpdatedAt, Expr::value(now()))
        .filter(adapters::Column::Name.eq(name))
        .exec(conn)
        .await
        .db()?;
    Ok(res.rows_affected == 1)
}

/// Deletes by name; returns whether it existed.
pub async fn delete<C: ConnectionTrait>(conn: &C, name: &str) -> Result<bool> {
    let res =
        Adapter::delete_many().filter(adapters::Column::Name.eq(name)).exec(conn).await.db()?;
    Ok(res.rows_affected == 1)
}
