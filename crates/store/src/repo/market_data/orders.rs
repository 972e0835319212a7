//! Activation orders: the feeds asked for (JSON), whether the application must confirm, when
//! it did and when the user signed; `PENDING` until both are done, then `COMPLETED`; a new
//! activation makes the account's pending orders `SUPERSEDED`.

use brokercrm_core::Result;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};

use crate::entities::md_orders::{self as t, Column as Col, Entity as Orders};
use crate::error::DbResultExt;

pub use crate::entities::md_orders::Model as OrderRow;

pub const PENDING: &str = "PENDING";
pub const COMPLETED: &str = "COMPLETED";
pub const SUPERSEDED: &str = "SUPERSEDED";

#[derive(Debug, Clone)]
pub struct NewOrder {
    pub account_id: i64,
    pub api_version: i16,
    pub items: String,
    pub confirmation_id: Option<String>,
    pub needs_confirmation: bool,
    pub signed_at: Option<DateTime<Utc>>,
    pub success_redirect_url: Option<String>,
    pub expires_at: DateTime<Utc>,
}

pub async fn insert<C: ConnectionTrait>(
    conn: &C,
    o: NewOrder,
    at: DateTime<Utc>,
) -> Result<OrderRow> {
    t::ActiveModel {
        account_id: Set(o.account_id),
        api_version: Set(o.api_version),
        items: Set(o.items),
        confirmation_id: Set(o.confirmation_id),
        needs_confirmation: Set(o.needs_confirmation),
        confirmed_at: Set(None),
        signed_at: Set(o.signed_at),
        success_redirect_url: Set(o.success_redirect_url),
        state: Set(PENDING.into()),
        expires_at: Set(o.expires_at),
        created_at: Set(at),
        completed_at: Set(None),
        ..Default::default()
    }
    .insert(conn)
    .await
    .db()
}

/// Marks the account's pending orders superseded (their confirmation ids die with them).
pub async fn supersede_pending<C: ConnectionTrait>(conn: &C, account_id: i64) -> Result<()> {
    Orders::update_many()
        .col_expr(Col::State, Expr::value(SUPERSEDED))
        .filter(Col::AccountId.eq(account_id))
        .filter(Col::State.eq(PENDING))
        .exec(conn)
        .await
        .db()
        .map(|_| ())
}

pub async fn find_by_id<C: ConnectionTrait>(conn: &C, id: i64) -> Result<Option<OrderRow>> {
    Orders::find_by_id(id).one(conn).await.db()
}

pub async fn find_by_confirmation<C: ConnectionTrait>(
    conn: &C,
    confirmation_id: &str,
) -> Result<Option<OrderRow>> {
    Orders::find().filter(Col::ConfirmationId.eq(confirmation_id)).one(conn).await.db()
}

/// The account's orders, newest first.
pub async fn for_account<C: ConnectionTrait>(conn: &C, account_id: i64) -> Result<Vec<OrderRow>> {
    Orders::find().filter(Col::AccountId.eq(account_id)).order_by_desc(Col::Id).all(conn).await.db()
}

/// Sets a step's time (`confirmed` or `signed`) on a pending order; false when it was not
/// pending any more (a concurrent request finished it).
pub async fn mark<C: ConnectionTrait>(
    conn: &C,
    id: i64,
    confirmed: bool,
    at: DateTime<Utc>,
) -> Result<bool> {
    let col = if confirmed { Col::ConfirmedAt } else { Col::SignedAt };
    let res = Orders::update_many()
        .col_expr(col, Expr::value(at))
        .filter(Col::Id.eq(id))
        .filter(Col::State.eq(PENDING))
        .exec(conn)
        .await
        .db()?;
    Ok(res.rows_affected == 1)
}

/// Completes a pending order once; false when another request did.
pub async fn complete<C: ConnectionTrait>(conn: &C, id: i64, at: DateTime<Utc>) -> Result<bool> {
    let res = Orders::update_many()
        .col_expr(Col::State, Expr::value(COMPLETED))
        .col_expr(Col::CompletedAt, Expr::value(at))
        .filter(Col::Id.eq(id))
        .filter(Col::State.eq(PENDING))
        .exec(conn)
        .await
        .db()?;
    Ok(res.rows_affected == 1)
}
