//! The commission ledger: one record per (event, kind, beneficiary, level), inserted at most
//! once (a unique index; a replay inserts nothing); listing, correction, and the records a
//! payout request carries.

use brokercrm_core::Result;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict, Query};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbBackend, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, QueryTrait, Select, Set, Statement, TryInsertResult, Value,
};

use crate::db::{now, nullable};
use crate::entities::commission_records::{self, Column as Col, Entity as Record};
use crate::error::DbResultExt;

pub use crate::entities::commission_records::Model as RecordRow;

/// A record to insert.
#[derive(Debug, Clone)]
pub struct NewRecord {
    pub introducer_id: i64,
    pub referral_id: i64,
    pub level: i16,
    pub commission_type: String,
    pub action_type: String,
    pub action_details: String,
    pub source_key: String,
    pub amount: i64,
    pub currency: String,
    pub transfer_id: String,
    pub action_at: DateTime<Utc>,
    /// The ledger transfer of the event that earned it.
    pub event_id: Option<String>,
}

/// Inserts `r`; `None` when a record for the same (source, kind, beneficiary, level) exists.
pub async fn insert_new<C: ConnectionTrait>(conn: &C, r: NewRecord) -> Result<Option<i64>> {
    let transfer_id = r.transfer_id.clone();
    let row = active(r, now());
    let done = Record::insert(row)
        .on_conflict_do_nothing_on([
            Col::SourceKey,
            Col::CommissionType,
            Col::IntroducerId,
            Col::Level,
        ])
        .exec_without_returning(conn)
        .await
        .db()?;
    if !matches!(done, TryInsertResult::Inserted(1)) {
        return Ok(None);
    }
    let id = Record::find()
        .filter(Col::TransferId.eq(transfer_id))
        .select_only()
        .column(Col::Id)
        .into_tuple::<i64>()
        .one(conn)
        .await
        .db()?;
    Ok(id)
}

/// Rows of one multi-row insert (19 columns: well under either database's bind limit).
const INSERT_CHUNK: usize = 400;

/// Inserts `list` in multi-row statements; returns `(id, transfer_id)` of the rows inserted,
/// leaving out those whose (source, kind, beneficiary, level) already had a record (a replay
/// inserts nothing). Only the two columns come back (`RETURNING id, transfer_id`).
pub async fn insert_many_new<C: ConnectionTrait>(
    conn: &C,
    list: Vec<NewRecord>,
) -> Result<Vec<(i64, String)>> {
    let t = now();
    if conn.get_database_backend() == DbBackend::Postgres {
        return insert_many_new_pg(conn, list, t).await;
    }
    let mut out = Vec::with_capacity(list.len());
    let mut rows = list.into_iter().map(|r| active(r, t)).peekable();
    while rows.peek().is_some() {
        let chunk: Vec<_> = rows.by_ref().take(INSERT_CHUNK).collect();
        let mut q = Record::insert_many(chunk)
            .on_conflict(
                OnConflict::columns([
                    Col::SourceKey,
                    Col::CommissionType,
                    Col::IntroducerId,
                    Col::Level,
                ])
                .do_nothing()
                .to_owned(),
            )
            .into_query();
        q.returning(Query::returning().columns([Col::Id, Col::TransferId]));
        let stmt = conn.get_database_backend().build(&q);
        for row in conn.query_all_raw(stmt).await.db()? {
            out.push((row.try_get("", "id").db()?, row.try_get("", "transfer_id").db()?));
        }
    }
    Ok(out)
}

const INSERT_PG: &str = r#"
INSERT INTO commission_records (introducer_id, referral_id, level, commission_type,
    action_type, action_details, source_key, amount, currency, transfer_id, action_at,
    event_id, created_at, updated_at)
SELECT r.introducer_id, r.referral_id, r.level, r.commission_type, r.action_type,
       r.action_details, r.source_key, r.amount, r.currency, r.transfer_id, r.action_at,
       CASE WHEN r.has_event_id THEN r.event_id END, $13, $13
FROM UNNEST($1::int8[], $2::int8[], $3::int2[], $4::text[], $5::text[], $6::text[],
            $7::text[], $8::int8[], $9::text[], $10::text[], $11::timestamptz[], $12::text[],
            $14::bool[])
    WITH ORDINALITY
    AS r(introducer_id, referral_id, level, commission_type, action_type, action_details,
         source_key, amount, currency, transfer_id, action_at, event_id, has_event_id, n)
ORDER BY r.n
ON CONFLICT (source_key, commission_type, introducer_id, level) DO NOTHING
RETURNING id, transfer_id
"#;

/// [`insert_many_new`] on PostgreSQL: one statement of arrays (one per column) whose text
/// never changes, so it is prepared once per connection and never planned per row count.
async fn insert_many_new_pg<C: ConnectionTrait>(
    conn: &C,
    list: Vec<NewRecord>,
    t: DateTime<Utc>,
) -> Result<Vec<(i64, String)>> {
    if list.is_empty() {
        return Ok(Vec::new());
    }
    fn col<T: Into<Value>>(list: &[NewRecord], f: impl Fn(&NewRecord) -> T) -> Value
    where
        Vec<T>: Into<Value>,
    {
        list.iter().map(f).collect::<Vec<T>>().into()
    }
    let (event_id, has_event_id) = nullable(list.iter().map(|r| r.event_id.clone()));
    let values = vec![
        col(&list, |r| r.introducer_id),
        col(&list, |r| r.referral_id),
        col(&list, |r| r.level),
        col(&list, |r| r.commission_type.clone()),
        col(&list, |r| r.action_type.clone()),
        col(&list, |r| r.action_details.clone()),
        col(&list, |r| r.source_key.clone()),
        col(&list, |r| r.amount),
        col(&list, |r| r.currency.clone()),
        col(&list, |r| r.transfer_id.clone()),
        col(&list, |r| r.action_at),
        event_id,
        t.into(),
        has_event_id,
    ];
    let stmt = Statement::from_sql_and_values(DbBackend::Postgres, INSERT_PG, values);
    let mut out = Vec::with_capacity(list.len());
    for row in conn.query_all_raw(stmt).await.db()? {
        out.push((row.try_get("", "id").db()?, row.try_get("", "transfer_id").db()?));
    }
    Ok(out)
}

fn active(r: NewRecord, t: DateTime<Utc>) -> commission_records::ActiveModel {
    commission_records::ActiveModel {
        introducer_id: Set(r.introducer_id),
        referral_id: Set(r.referral_id),
        level: Set(r.level),
        commission_type: Set(r.commission_type),
        action_type: Set(r.action_type),
        action_details: Set(r.action_details),
        source_key: Set(r.source_key),
        amount: Set(r.amount),
        corrected_amount: Set(None),
        currency: Set(r.currency),
        transfer_id: Set(r.transfer_id),
        action_at: Set(r.action_at),
        payout_request_id: Set(None),
        payout_at: Set(None),
        admin_id: Set(None),
        admin_comments: Set(None),
        created_at: Set(t),
        updated_at: Set(t),
        event_id: Set(r.event_id),
        ..Default::default()
    }
}

/// The CPA records earned by deposit `event_id` (its ledger transfer id), oldest first. The
/// kind is a literal: the `event_id` index holds the CPA rows only (m0038).
pub async fn cpa_of_event<C: ConnectionTrait>(conn: &C, event_id: &str) -> Result<Vec<RecordRow>> {
    Record::find()
        .filter(Col::EventId.eq(event_id))
        .filter(Expr::cust("commission_records.commission_type = 'CPA'"))
        .order_by_asc(Col::Id)
        .all(conn)
        .await
        .db()
}

pub async fn find<C: ConnectionTrait>(conn: &C, id: i64) -> Result<Option<RecordRow>> {
    Record::find_by_id(id).one(conn).await.db()
}

/// Which records a list shows.
#[derive(Debug, Clone, Default)]
pub struct RecordFilter {
    /// Only this introducer's.
    pub introducer_id: Option<i64>,
    /// `Some(false)`: not paid out yet; `Some(true)`: paid out.
    pub paid: Option<bool>,
    pub newest_first: bool,
}

fn filtered(f: &RecordFilter) -> Select<Record> {
    let mut q = Record::find();
    if let Some(id) = f.introducer_id {
        q = q.filter(Col::IntroducerId.eq(id));
    }
    match f.paid {
        Some(true) => q = q.filter(Col::PayoutAt.is_not_null()),
        Some(false) => q = q.filter(Col::PayoutAt.is_null()),
        None => {}
    }
    q
}

/// A page of records and the total matching.
pub async fn list<C: ConnectionTrait>(
    conn: &C,
    f: &RecordFilter,
    offset: u64,
    limit: u64,
) -> Result<(Vec<RecordRow>, u64)> {
    let count = filtered(f).count(conn).await.db()?;
    let q = filtered(f);
    let q = if f.newest_first { q.order_by_desc(Col::Id) } else { q.order_by_asc(Col::Id) };
    let rows = q.offset(offset).limit(limit).all(conn).await.db()?;
    Ok((rows, count))
}

/// Sets the admin's corrected amount and comment, provided the amount in force is still
/// `expected` (so of two racing corrections one wins); `false` otherwise.
pub async fn correct<C: ConnectionTrait>(
    conn: &C,
    row: &RecordRow,
    expected: i64,
    corrected: i64,
    admin_id: i64,
    comments: Option<String>,
) -> Result<bool> {
    let mut q = Record::update_many()
        .col_expr(Col::CorrectedAmount, Expr::value(corrected))
        .col_expr(Col::AdminId, Expr::value(admin_id))
        .col_expr(Col::AdminComments, Expr::value(comments))
        .col_expr(Col::UpdatedAt, Expr::value(now()))
        .filter(Col::Id.eq(row.id));
    q = match row.corrected_amount {
        Some(_) => q.filter(Col::CorrectedAmount.eq(expected)),
        None => q.filter(Col::CorrectedAmount.is_null()).filter(Col::Amount.eq(expected)),
    };
    Ok(q.exec(conn).await.db()?.rows_affected == 1)
}

/// Puts every record of `introducer_id` not yet in a request into request `request_id`.
pub async fn attach<C: ConnectionTrait>(
    conn: &C,
    introducer_id: i64,
    request_id: i64,
) -> Result<u64> {
    let r = Record::update_many()
        .col_expr(Col::PayoutRequestId, Expr::value(request_id))
        .filter(
            Condition::all()
                .add(Col::IntroducerId.eq(introducer_id))
                .add(Col::PayoutRequestId.is_null()),
        )
        .exec(conn)
        .await
        .db()?;
    Ok(r.rows_affected)
}

/// Marks the records of request `request_id` paid out at `at`.
pub async fn mark_paid<C: ConnectionTrait>(
    conn: &C,
    request_id: i64,
    at: DateTime<Utc>,
) -> Result<()> {
    Record::update_many()
        .col_expr(Col::PayoutAt, Expr::value(at))
        .filter(Col::PayoutRequestId.eq(request_id))
        .exec(conn)
        .await
        .db()?;
    Ok(())
}

/// Releases the records of (rejected) request `request_id`.
pub async fn detach<C: ConnectionTrait>(conn: &C, request_id: i64) -> Result<()> {
    Record::update_many()
        .col_expr(Col::PayoutRequestId, Expr::value(Option::<i64>::None))
        .filter(Col::PayoutRequestId.eq(request_id))
        .exec(conn)
        .await
        .db()?;
    Ok(())
}

/// Per introducer: (introducer id, records, amount in force, of which paid out), of the
/// records whose action is in [`from`, `to`), by introducer id; all time when `None`.
pub async fn totals<C: ConnectionTrait>(
    conn: &C,
    introducer_id: Option<i64>,
    window: Option<(DateTime<Utc>, DateTime<Utc>)>,
) -> Result<Vec<(i64, i64, i64, i64)>> {
    // SUM of a BIGINT is NUMERIC on PostgreSQL: cast back so both databases answer BIGINT.
    let in_force =
        Expr::cust("CAST(COALESCE(SUM(COALESCE(corrected_amount, amount)), 0) AS BIGINT)");
    let paid = Expr::cust(
        "CAST(COALESCE(SUM(CASE WHEN payout_at IS NULL THEN 0 \
         ELSE COALESCE(corrected_amount, amount) END), 0) AS BIGINT)",
    );
    let mut q = Record::find()
        .select_only()
        .column(Col::IntroducerId)
        .column_as(Expr::col(Col::Id).count(), "records")
        .column_as(in_force, "total")
        .column_as(paid, "paid")
        .group_by(Col::IntroducerId)
        .order_by_asc(Col::IntroducerId);
    if let Some(id) = introducer_id {
        q = q.filter(Col::IntroducerId.eq(id));
    }
    if let Some((from, to)) = window {
        q = q.filter(Col::ActionAt.gte(from)).filter(Col::ActionAt.lt(to));
    }
    q.into_tuple().all(conn).await.db()
}
