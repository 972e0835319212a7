//! Payment requests (deposits and withdrawals through providers): insert, find, the client's
//! current withdrawal, and status transitions as one conditional update each (or one for a
//! whole batch, `transition_many`), so of two concurrent decisions exactly one changes the row.

use brokercrm_core::Result;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{CaseStatement, Expr};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, QueryFilter, QueryOrder, Statement, Value,
};

use crate::db::{now, nullable};
use crate::entities::payment_requests::{self, Column as P, Entity as Request};
use crate::error::DbResultExt;

pub use crate::entities::payment_requests::Model as RequestRow;

/// Inserts `row` (its `id` is the main ledger transfer's id).
pub async fn insert<C: ConnectionTrait>(conn: &C, row: RequestRow) -> Result<()> {
    let am: payment_requests::ActiveModel = row.into();
    Request::insert(am).exec_without_returning(conn).await.db()?;
    Ok(())
}

pub async fn find<C: ConnectionTrait>(conn: &C, id: &str) -> Result<Option<RequestRow>> {
    Request::find_by_id(id.to_owned()).one(conn).await.db()
}

/// The requests among `ids`.
pub async fn find_many<C: ConnectionTrait>(conn: &C, ids: &[String]) -> Result<Vec<RequestRow>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Request::find().filter(P::Id.is_in(ids.iter().cloned())).all(conn).await.db()
}

/// The newest request of `kind` by `user_id` in `status`.
pub async fn latest<C: ConnectionTrait>(
    conn: &C,
    user_id: i64,
    kind: &str,
    status: &str,
) -> Result<Option<RequestRow>> {
    Request::find()
        .filter(P::UserId.eq(user_id))
        .filter(P::Kind.eq(kind))
        .filter(P::Status.eq(status))
        .order_by_desc(P::CreatedAt)
        .order_by_desc(P::Id)
        .one(conn)
        .await
        .db()
}

/// What a decision records besides the new status.
#[derive(Debug, Clone, Default)]
pub struct Decision {
    pub reviewer_id: Option<i64>,
    pub comment: Option<String>,
    pub final_amount: Option<i64>,
    pub external_id: Option<String>,
}

/// Moves request `id` from `from` to `to` (one conditional update); false when it was not in
/// `from` (someone decided first, or it does not exist).
pub async fn transition<C: ConnectionTrait>(
    conn: &C,
    id: &str,
    from: &str,
    to: &str,
    d: Decision,
) -> Result<bool> {
    let t: DateTime<Utc> = now();
    let mut q = Request::update_many()
        .col_expr(P::Status, Expr::value(to))
        .col_expr(P::UpdatedAt, Expr::value(t))
        .filter(P::Id.eq(id))
        .filter(P::Status.eq(from));
    if let Some(r) = d.reviewer_id {
        q = q.col_expr(P::ReviewerId, Expr::value(r)).col_expr(P::ReviewedAt, Expr::value(t));
    }
    if let Some(c) = d.comment {
        q = q.col_expr(P::Comment, Expr::value(c));
    }
    if let Some(a) = d.final_amount {
        q = q.col_expr(P::FinalAmount, Expr::value(a));
    }
    if let Some(e) = d.external_id {
        q = q.col_expr(P::ExternalId, Expr::value(e));
    }
    Ok(q.exec(conn).await.db()?.rows_affected == 1)
}

/// Moves every request among `items` (id, and the provider's reference to record, if any)
/// from `from` to `to` in one conditional statement (`UPDATE … WHERE id … AND status = from
/// RETURNING id`); returns the ids it moved. A request not in `from` (decided meanwhile, or
/// missing) is not among them. An id listed twice takes the first reference given for it.
/// PostgreSQL takes the items as arrays (`TRANSITION_MANY_PG`: the same text for every batch
/// size, prepared once per connection); SQLite a list of ids and a `CASE` of the references.
pub async fn transition_many<C: ConnectionTrait>(
    conn: &C,
    items: &[(&str, Option<&str>)],
    from: &str,
    to: &str,
) -> Result<Vec<String>> {
    if items.is_empty() {
        return Ok(Vec::new());
    }
    if conn.get_database_backend() == DbBackend::Postgres {
        return transition_many_pg(conn, items, from, to).await;
    }
    let mut q = Request::update_many()
        .col_expr(P::Status, Expr::value(to))
        .col_expr(P::UpdatedAt, Expr::value(now()))
        .filter(P::Id.is_in(items.iter().map(|(id, _)| (*id).to_owned())))
        .filter(P::Status.eq(from));
    if let Some(by_id) = references(items) {
        q = q.col_expr(P::ExternalId, by_id);
    }
    Ok(q.exec_with_returning(conn).await.db()?.into_iter().map(|r| r.id).collect())
}

/// [`transition_many`] on PostgreSQL: $1 ids, $2 references ('' when absent), $3 whether
/// present, $4 the new status, $5 the time, $6 the status required.
const TRANSITION_MANY_PG: &str = r#"
UPDATE payment_requests p
SET status = $4, updated_at = $5,
    external_id = CASE WHEN r.has_reference THEN r.reference ELSE p.external_id END
FROM (SELECT DISTINCT ON (id) id, reference, has_reference
      FROM UNNEST($1::text[], $2::text[], $3::bool[]) WITH ORDINALITY
          AS u(id, reference, has_reference, n)
      ORDER BY id, n) r
WHERE p.id = r.id AND p.status = $6
RETURNING p.id
"#;

async fn transition_many_pg<C: ConnectionTrait>(
    conn: &C,
    items: &[(&str, Option<&str>)],
    from: &str,
    to: &str,
) -> Result<Vec<String>> {
    let ids: Vec<String> = items.iter().map(|(id, _)| (*id).to_owned()).collect();
    let (references, present) = nullable(items.iter().map(|(_, r)| r.map(str::to_owned)));
    let values: Vec<Value> =
        vec![ids.into(), references, present, to.into(), now().into(), from.into()];
    let stmt = Statement::from_sql_and_values(DbBackend::Postgres, TRANSITION_MANY_PG, values);
    let rows = conn.query_all_raw(stmt).await.db()?;
    rows.iter().map(|row| row.try_get::<String>("", "id").db()).collect()
}

/// `CASE id WHEN … THEN reference … ELSE external_id END` over the items with a reference
/// (the first one of an id wins); `None` when none has one.
fn references(items: &[(&str, Option<&str>)]) -> Option<Expr> {
    let mut case = CaseStatement::new();
    let mut any = false;
    for (id, r) in items {
        if let Some(r) = r {
            case = case.case(P::Id.eq(*id), Expr::val(*r));
            any = true;
        }
    }
    any.then(|| case.finally(Expr::col(P::ExternalId)).into())
}

/// Claims the payout of approved withdrawal `id` (payout status null → `sending`); false when
/// it is not approved or a payout was already claimed.
pub async fn claim_payout<C: ConnectionTrait>(conn: &C, id: &str, method: &str) -> Result<bool> {
    let res = Request::update_many()
        .col_expr(P::PayoutStatus, Expr::value("sending"))
        .col_expr(P::PayoutMethod, Expr::value(method))
        .col_expr(P::UpdatedAt, Expr::value(now()))
        .filter(P::Id.eq(id))
        .filter(P::Status.eq("approved"))
        .filter(P::PayoutStatus.is_null())
        .exec(conn)
        .await
        .db()?;
    Ok(res.rows_affected == 1)
}

/// Ends a claimed payout: `sent` with the provider's reference, or released (null) on failure.
pub async fn finish_payout<C: ConnectionTrait>(
    conn: &C,
    id: &str,
    reference: Option<&str>,
) -> Result<()> {
    let mut q = Request::update_many()
        .col_expr(P::UpdatedAt, Expr::value(now()))
        .filter(P::Id.eq(id))
        .filter(P::PayoutStatus.eq("sending"));
    q = match reference {
        Some(r) => {
            q.col_expr(P::PayoutStatus, Expr::value("sent")).col_expr(P::ExternalId, Expr::value(r))
        }
        None => q
            .col_expr(P::PayoutStatus, Expr::value(Option::<String>::None))
            .col_expr(P::PayoutMethod, Expr::value(Option::<String>::None)),
    };
    q.exec(conn).await.db()?;
    Ok(())
}
