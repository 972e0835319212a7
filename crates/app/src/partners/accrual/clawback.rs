//! Clawback: a charged-back deposit takes back the CPA it earned, at every level, from the
//! introducer's commission not yet paid out or reserved for a payout — never from its
//! wallets. Each is a record of its own (`actionType` CHARGEBACK, a negative amount: what was
//! recovered; history is never rewritten), recorded once per (deposit, beneficiary, level),
//! and its ledger transfer from the payable account back to commission expense. What the
//! introducer was already paid stays paid; the record says how much could not be recovered.

use std::collections::HashSet;

use brokercrm_core::money::ledger::TransferId;
use brokercrm_core::partners::accrual::CommissionType;
use brokercrm_core::{Error, Money, Result};
use brokercrm_store::DatabaseTransaction;
use brokercrm_store::repo::money::ledger::accounts;
use brokercrm_store::repo::partners::commission_records::{self as records, NewRecord};

use super::book::{Accrual, COMMISSION_CURRENCY, payable_account, post, transfer_id_of};
use super::event::{AccrualEvent, job_key};
use crate::platform::jobs;

/// The `actionType` of a clawback record.
pub const CHARGEBACK: &str = "CHARGEBACK";

/// Claws back the CPA of every reversal among `events` in `tx`. `accrued`: the keys of the
/// events accrued in the same transaction (their records are already visible). A reversal
/// whose deposit's accrual has not run yet fails, so its job is retried after it.
pub(super) async fn claw_back(
    tx: &DatabaseTransaction,
    events: &[AccrualEvent],
    accrued: &HashSet<String>,
) -> Result<Vec<Accrual>> {
    let mut out = Vec::new();
    for event in events {
        let AccrualEvent::DepositReversed { deposit_id, at, .. } = event else { continue };
        if !accrued.contains(deposit_id) && jobs::unfinished(tx, &job_key(deposit_id)).await? {
            return Err(Error::Conflict(format!(
                "the accrual of deposit {deposit_id} has not run yet; its clawback waits"
            )));
        }
        let source = format!("clawback:{deposit_id}");
        for cpa in records::cpa_of_event(tx, deposit_id).await? {
            let in_force = Money::from_minor(cpa.corrected_amount.unwrap_or(cpa.amount));
            if !in_force.is_positive() {
                continue;
            }
            let ib = cpa.introducer_id;
            let payable = payable_account(tx, ib).await?;
            let held = accounts::find(tx, payable)
                .await?
                .map(|a| a.balance - a.pending_debits)
                .unwrap_or_default();
            let recovered = Money::from_minor(held.clamp(0, in_force.minor()));
            let level = u8::try_from(cpa.level).map_err(Error::internal)?;
            let id = transfer_id_of(CommissionType::Cpa, &source, ib, level)?;
            let short = in_force.checked_sub(recovered).unwrap_or(Money::ZERO);
            let mut details = format!(
                "deposit {deposit_id} charged back: {recovered} of the CPA of {in_force} \
                 (record {}) recovered",
                cpa.id
            );
            if short.is_positive() {
                details.push_str(&format!("; {short} already paid out, not recovered"));
            }
            let record = NewRecord {
                introducer_id: ib,
                referral_id: cpa.referral_id,
                level: cpa.level,
                commission_type: CommissionType::Cpa.as_str().to_owned(),
                action_type: CHARGEBACK.to_owned(),
                action_details: details,
                source_key: source.clone(),
                amount: -recovered.minor(),
                currency: COMMISSION_CURRENCY.as_str().to_owned(),
                transfer_id: id.as_str().to_owned(),
                action_at: *at,
                event_id: Some(event.key()),
            };
            let Some(record_id) = records::insert_new(tx, record).await? else { continue };
            if recovered.is_positive() {
                post(
                    tx,
                    TransferId::parse("transferId", id.as_str())?,
                    ib,
                    recovered,
                    false,
                    "CPA clawback",
                )
                .await?;
            }
            let amount = Money::ZERO.checked_sub(recovered).unwrap_or(Money::ZERO);
            out.push(Accrual {
                record_id,
                introducer_id: ib,
                level,
                kind: CommissionType::Cpa,
                amount,
            });
        }
    }
    Ok(out)
}
