//! Payout requests: insert (at most one pending per introducer: a partial unique index), read,
//! list, and the one conditional update that decides a pending request (so of two racing
//! decisions exactly one changes the row).

use brokercrm_core::Result;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Select, Set,
};

use crate::db::now;
use crate::entities::payout_requests::{self, Column as Col, Entity as Request};
use crate::error::DbResultExt;

pub use crate::entities::payout_requests::Model as PayoutRow;

pub const PENDING: &str = "PENDING";
pub const APPROVED: &str = "APPROVED";
pub const REJECTED: &str = "REJECTED";

/// A request to insert.
#[derive(Debug, Clone)]
pub struct NewPayout {
    pub introducer_id: i64,
    pub payout_wallet_id: i64,
    pub amount: i64,
    pub currency: String,
    pub reserve_transfer_id: String,
}

/// Inserts a pending request; a second pending one of the introducer is a `Conflict`.
pub async fn insert<C: ConnectionTrait>(conn: &C, p: NewPayout) -> Result<PayoutRow> {
    let t = now();
    payout_requests::ActiveModel {
        introducer_id: Set(p.introducer_id),
        payout_wallet_id: Set(p.payout_wallet_id),
        amount: Set(p.amount),
        currency: Set(p.currency),
        status: Set(PENDING.into()),
        reserve_transfer_id: Set(p.reserve_transfer_id),
        transaction_id: Set(None),
        requested_at: Set(t),
        approved_at: Set(None),
        rejected_at: Set(None),
        reject_reason: Set(None),
        admin_id: Set(None),
        created_at: Set(t),
        updated_at: Set(t),
        ..Default::default()
    }
    .insert(conn)
    .await
    .db()
}

pub async fn find<C: ConnectionTrait>(conn: &C, id: i64) -> Result<Option<PayoutRow>> {
    Request::find_by_id(id).one(conn).await.db()
}

/// Whether `introducer_id` has a pending request.
pub async fn has_pending<C: ConnectionTrait>(conn: &C, introducer_id: i64) -> Result<bool> {
    let n = Request::find()
        .filter(Col::IntroducerId.eq(introducer_id))
        .filter(Col::Status.eq(PENDING))
        .count(conn)
        .await
        .db()?;
    Ok(n > 0)
}

/// Which requests a list shows.
#[derive(Debug, Clone, Default)]
pub struct PayoutFilter {
    pub introducer_id: Option<i64>,
    /// Empty: every status.
    pub statuses: Vec<String>,
    pub newest_first: bool,
}

fn filtered(f: &PayoutFilter) -> Select<Request> {
    let mut q = Request::find();
    if let Some(id) = f.introducer_id {
        q = q.filter(Col::IntroducerId.eq(id));
    }
    if !f.statuses.is_empty() {
        q = q.filter(Col::Status.is_in(f.statuses.iter().cloned()));
    }
    q
}

/// A page of requests and the total matching.
pub async fn list<C: ConnectionTrait>(
    conn: &C,
    f: &PayoutFilter,
    offset: u64,
    limit: u64,
) -> Result<(Vec<PayoutRow>, u64)> {
    let count = filtered(f).count(conn).await.db()?;
    let q = filtered(f);
    let q = if f.newest_first { q.order_by_desc(Col::Id) } else { q.order_by_asc(Col::Id) };
    Ok((q.offset(offset).limit(limit).all(conn).await.db()?, count))
}

/// The decision on a pending request.
#[derive(Debug, Clone)]
pub enum Decision {
    Approved { transaction_id: String },
    Rejected { reason: Option<String> },
}

/// Decides pending request `id`; `false` when it was no longer pending (another decision won).
pub async fn decide<C: ConnectionTrait>(
    conn: &C,
    id: i64,
    admin_id: i64,
    decision: Decision,
    at: DateTime<Utc>,
) -> Result<bool> {
    let mut q = Request::update_many()
        .col_expr(Col::AdminId, Expr::value(admin_id))
        .col_expr(Col::UpdatedAt, Expr::value(at));
    q = match decision {
        Decision::Approved { transaction_id } => q
            .col_expr(Col::Status, Expr::value(APPROVED))
            .col_expr(Col::ApprovedAt, Expr::value(at))
            .col_expr(Col::TransactionId, Expr::value(transaction_id)),
        Decision::Rejected { reason } => q
            .col_expr(Col::Status, Expr::value(REJECTED))
            .col_expr(Col::RejectedAt, Expr::value(at))
            .col_expr(Col::RejectReason, Expr::value(reason)),
    };
    let r = q.filter(Col::Id.eq(id)).filter(Col::Status.eq(PENDING)).exec(conn).await.db()?;
    Ok(r.rows_affected == 1)
}
