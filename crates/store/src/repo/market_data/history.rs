//! Each market-data account's history: what happened, in order.

use brokercrm_core::Result;
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};

use crate::entities::md_history::{self as t, Column as Col, Entity as History};
use crate::error::DbResultExt;

pub use crate::entities::md_history::Model as HistoryRow;

pub async fn insert<C: ConnectionTrait>(
    conn: &C,
    account_id: i64,
    kind: &str,
    details: String,
    at: DateTime<Utc>,
) -> Result<()> {
    t::ActiveModel {
        account_id: Set(account_id),
        kind: Set(kind.to_owned()),
        details: Set(details),
        at: Set(at),
        ..Default::default()
    }
    .insert(conn)
    .await
    .db()
    .map(|_| ())
}

pub async fn for_account<C: ConnectionTrait>(conn: &C, account_id: i64) -> Result<Vec<HistoryRow>> {
    History::find().filter(Col::AccountId.eq(account_id)).order_by_asc(Col::Id).all(conn).await.db()
}
