//! The commission ledger (seed tag Commissions): staff list, read and correct records; an
//! introducer lists its own. A correction posts the difference between the corrected and the
//! amount in force as a new ledger transfer (history is never rewritten); a record inside a
//! pending payout request cannot be corrected until it is decided.

use brokercrm_core::identity::auth::Permission;
use brokercrm_core::money::ledger::TransferId;
use brokercrm_core::{Error, Money, Result};
use brokercrm_store::ConnectionTrait;
use brokercrm_store::db::commit;
use brokercrm_store::repo::identity::users;
use brokercrm_store::repo::partners::commission_records::{self as repo, RecordFilter, RecordRow};
use brokercrm_store::repo::partners::introducers;
use brokercrm_store::repo::partners::payout_requests as payouts;
use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::partners::accrual::post;
use crate::partners::people::{Person, people};
use crate::platform::audit::{self, Audit};
use crate::{App, Principal};

/// Most records a page holds.
pub const MAX_PAGE: u64 = 500;

/// A record as the seed shows it.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RecordView {
    pub id: i64,
    pub introducer: Option<Person>,
    pub referral: Option<Person>,
    pub level: i16,
    pub commission_type: String,
    pub action_type: String,
    pub action_details: String,
    pub commission_amount: Money,
    pub corrected_commission_amount: Option<Money>,
    pub currency: String,
    pub action_timestamp: DateTime<Utc>,
    pub payout_at: Option<DateTime<Utc>>,
    /// `PENDING` until paid out, then `PAIDOUT`.
    pub status: &'static str,
    pub transfer_id: String,
    pub updated_at: DateTime<Utc>,
    pub admin_comments: Option<String>,
    pub created_at: DateTime<Utc>,
    pub admin: Option<Person>,
}

async fn views<C: ConnectionTrait>(conn: &C, rows: Vec<RecordRow>) -> Result<Vec<RecordView>> {
    let ids: Vec<i64> = rows
        .iter()
        .flat_map(|r| [Some(r.introducer_id), Some(r.referral_id), r.admin_id])
        .flatten()
        .collect();
    let who = people(conn, &ids).await?;
    Ok(rows
        .into_iter()
        .map(|r| RecordView {
            id: r.id,
            introducer: who.get(&r.introducer_id).cloned(),
            referral: who.get(&r.referral_id).cloned(),
            level: r.level,
            commission_type: r.commission_type,
            action_type: r.action_type,
            action_details: r.action_details,
            commission_amount: Money::from_minor(r.amount),
            corrected_commission_amount: r.corrected_amount.map(Money::from_minor),
            currency: r.currency,
            action_timestamp: r.action_at,
            payout_at: r.payout_at,
            status: if r.payout_at.is_some() { "PAIDOUT" } else { "PENDING" },
            transfer_id: r.transfer_id,
            updated_at: r.updated_at,
            admin_comments: r.admin_comments,
            created_at: r.created_at,
            admin: r.admin_id.and_then(|a| who.get(&a).cloned()),
        })
        .collect())
}

/// A page request.
#[derive(Debug, Clone, Copy, Default)]
pub struct Page {
    pub offset: u64,
    pub limit: u64,
    pub newest_first: bool,
}

/// "Get a list of commission ledgers" (ReadCommissions): every record, with the total.
pub async fn list(app: &App, actor: &Principal, page: Page) -> Result<(Vec<RecordView>, u64)> {
    search(app, actor, page, &StaffFilter::default()).await
}

/// What a staff list of records is narrowed to.
#[derive(Debug, Clone, Default)]
pub struct StaffFilter {
    /// Only this introducer's (its public id; an unknown one matches nothing).
    pub introducer: Option<String>,
    /// `Some(false)`: PENDING (not paid out); `Some(true)`: PAIDOUT.
    pub paid: Option<bool>,
}

/// The records in `f` (ReadCommissions), with the total: the staff list narrowed to an
/// introducer and/or a payout status.
pub async fn search(
    app: &App,
    actor: &Principal,
    page: Page,
    f: &StaffFilter,
) -> Result<(Vec<RecordView>, u64)> {
    actor.require(Permission::ReadCommissions)?;
    let conn = app.db().conn();
    let introducer_id = match f.introducer.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(uuid) => match users::find_by_uuid(conn, uuid).await? {
            Some(u) => Some(u.id),
            None => return Ok((Vec::new(), 0)),
        },
        None => None,
    };
    let f = RecordFilter { introducer_id, paid: f.paid, newest_first: page.newest_first };
    let (rows, n) = repo::list(conn, &f, page.offset, page.limit.min(MAX_PAGE)).await?;
    Ok((views(conn, rows).await?, n))
}

/// "Get a commission ledger" (ReadCommissions).
pub async fn get(app: &App, actor: &Principal, id: i64) -> Result<RecordView> {
    actor.require(Permission::ReadCommissions)?;
    let conn = app.db().conn();
    let row = repo::find(conn, id).await?.ok_or(Error::NotFound("commission ledger"))?;
    Ok(views(conn, vec![row]).await?.remove(0))
}

/// The caller, who must be an introducer (anyone else: 404).
pub(crate) async fn introducer_id<C: ConnectionTrait>(conn: &C, actor: &Principal) -> Result<i64> {
    actor.require(Permission::ReadOwnCommissions)?;
    match introducers::find(conn, actor.user_id).await? {
        Some(_) => Ok(actor.user_id),
        None => Err(Error::NotFound("introducer")),
    }
}

/// "Get commission ledger records": the introducer's own; `paid` filters PENDING / PAIDOUT.
pub async fn own(
    app: &App,
    actor: &Principal,
    page: Page,
    paid: Option<bool>,
) -> Result<(Vec<RecordView>, u64)> {
    let conn = app.db().conn();
    let ib = introducer_id(conn, actor).await?;
    let f = RecordFilter { introducer_id: Some(ib), paid, newest_first: page.newest_first };
    let (rows, n) = repo::list(conn, &f, page.offset, page.limit.min(MAX_PAGE)).await?;
    Ok((views(conn, rows).await?, n))
}

/// The correction as typed in a form: the permission is checked first, then the amount
/// (`correctedCommissionAmount`, a decimal of 0 or more) is read; see [`correct`].
pub async fn correct_typed(
    app: &App,
    actor: &Principal,
    id: i64,
    corrected: &str,
    comments: Option<String>,
) -> Result<RecordView> {
    actor.require(Permission::ManageCommissions)?;
    let corrected = corrected.trim();
    if corrected.is_empty() {
        return Err(Error::field("correctedCommissionAmount", "is required"));
    }
    let amount = Money::parse("correctedCommissionAmount", corrected)?;
    let comments = comments.map(|c| c.trim().to_owned()).filter(|c| !c.is_empty());
    correct(app, actor, id, amount, comments).await
}

/// "Update a commission ledger" (ManageCommissions): sets the corrected amount (0 or more)
/// and comment, posting the difference to or from the introducer's payable account. Audited.
pub async fn correct(
    app: &App,
    actor: &Principal,
    id: i64,
    corrected: Money,
    comments: Option<String>,
) -> Result<RecordView> {
    actor.require(Permission::ManageCommissions)?;
    if corrected.is_negative() {
        return Err(Error::field("correctedCommissionAmount", "must be 0 or more"));
    }
    if comments.as_ref().is_some_and(|c| c.chars().count() > 1000) {
        return Err(Error::field("adminComments", "must be at most 1000 characters"));
    }
    let tx = app.db().begin_write().await?;
    let row = repo::find(&tx, id).await?.ok_or(Error::NotFound("commission ledger"))?;
    if let Some(req) = row.payout_request_id {
        let pending = payouts::find(&tx, req).await?.is_some_and(|p| p.status == payouts::PENDING);
        if pending {
            return Err(Error::Conflict("the record is in a pending payout request".into()));
        }
    }
    let before = views(&tx, vec![row.clone()]).await?.remove(0);
    let current = row.corrected_amount.unwrap_or(row.amount);
    let diff = corrected.minor() - current;
    if !repo::correct(&tx, &row, current, corrected.minor(), actor.user_id, comments).await? {
        return Err(Error::Conflict("the record was corrected meanwhile".into()));
    }
    if diff != 0 {
        let note = format!("correction of commission record {id}");
        post(
            &tx,
            TransferId::generate(),
            row.introducer_id,
            Money::from_minor(diff.abs()),
            diff > 0,
            &note,
        )
        .await?;
    }
    let row = repo::find(&tx, id).await?.ok_or(Error::NotFound("commission ledger"))?;
    let after = views(&tx, vec![row]).await?.remove(0);
    audit::record(
        &tx,
        Some(actor),
        Audit::new("commission_record.correct", "commission_record", id.to_string())
            .details(format!("commission record {id} corrected to {corrected}"))
            .before(&before)
            .after(&after),
    )
    .await?;
    commit(tx).await?;
    Ok(after)
}
