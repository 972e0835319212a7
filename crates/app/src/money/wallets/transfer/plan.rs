//! Deciding a batch of wallet transfers in memory: each request in order, on the reference
//! ledger model (`brokercrm_core::money::ledger::model`, the same rules the property tests hold the
//! database to), over the balance accounts of the batch's wallets. The result says what to
//! answer each request and what to write; nothing here touches the database.

use std::collections::HashMap;

use brokercrm_core::money::ledger::model::{Account, Ledger};
use brokercrm_core::money::ledger::{
    AccountKey, AccountKind, NewTransfer, Policy, TransferCode, compare_replay,
};
use brokercrm_core::{Currency, Money, Result};
use brokercrm_store::repo::money::ledger::AccountRow;
use brokercrm_store::repo::money::ledger::batch::Delta;
use brokercrm_store::repo::money::wallets::WalletRow;

use super::input::{Batched, Request, check_pair, same_currency_details};
use crate::money::ledger::body_hash;
use crate::money::wallets::currency_of;

/// What a batch read before deciding: the wallets by id, and the stored transfers (id → body
/// hash) among the requests' ids.
pub(super) struct Seen {
    pub wallets: HashMap<i64, WalletRow>,
    pub stored: HashMap<String, String>,
}

/// A request the batch applies: its transfer and the two wallets.
struct Planned<'a> {
    index: usize,
    request: &'a Request,
    transfer: NewTransfer,
    src: WalletRow,
    dst: WalletRow,
}

/// What a batch decided: an answer per request, and what to write for it.
pub(super) struct Plan {
    pub answers: Vec<Result<Batched>>,
    /// The accepted transfers, each with its body hash, in order.
    pub writes: Vec<(NewTransfer, String)>,
    /// How the accounts' sums move.
    pub deltas: Vec<Delta>,
    /// Staff transfers to audit: request index, source wallet id, details.
    pub audits: Vec<(usize, i64, String)>,
}

/// Decides every request, in order, on `accounts` (the balance accounts of the read wallets).
pub(super) fn plan(requests: &[&Request], seen: &Seen, accounts: &[AccountRow]) -> Result<Plan> {
    let mut answers: Vec<Option<Result<Batched>>> = requests.iter().map(|_| None).collect();
    let by_key: HashMap<&str, &AccountRow> = accounts.iter().map(|a| (a.key.as_str(), a)).collect();
    let mut planned = Vec::with_capacity(requests.len());
    for (index, r) in requests.iter().enumerate() {
        let src = seen.wallets.get(&r.input.source_wallet_id).cloned();
        let dst = seen.wallets.get(&r.input.target_wallet_id).cloned();
        let (src, dst) = match check_pair(&r.actor, src, dst) {
            Err(e) => {
                answers[index] = Some(Err(e));
                continue;
            }
            Ok((s, d)) if s.currency != d.currency => continue,
            Ok(pair) => pair,
        };
        let (Some(from), Some(to)) =
            (by_key.get(balance_key(&src)?.as_str()), by_key.get(balance_key(&dst)?.as_str()))
        else {
            continue;
        };
        let transfer = NewTransfer {
            id: r.id.clone(),
            debit_account_id: from.id,
            credit_account_id: to.id,
            amount: r.input.amount,
            currency: currency_of(&src)?,
            code: TransferCode::WalletTransfer,
            user_data: None,
            pending: false,
        };
        planned.push(Planned { index, request: r, transfer, src, dst });
    }
    let mut ledger = model_of(accounts)?;
    let mut writes = Vec::with_capacity(planned.len());
    let mut audits = Vec::new();
    for p in planned {
        let hash = body_hash(&p.transfer.fingerprint());
        let answer = match seen.stored.get(p.transfer.id.as_str()) {
            Some(earlier) => compare_replay(earlier, &hash).map(|_| Batched::Applied),
            None => match ledger.apply(&p.transfer) {
                Ok((_, true)) => Ok(Batched::Applied),
                Ok((_, false)) => {
                    if p.request.actor.role.is_staff() {
                        let details = same_currency_details(
                            p.transfer.amount,
                            &p.src,
                            &p.dst,
                            &p.transfer.id,
                        );
                        audits.push((p.index, p.src.id, details));
                    }
                    writes.push((p.transfer, hash));
                    Ok(Batched::Applied)
                }
                Err(e) => Err(e),
            },
        };
        answers[p.index] = Some(answer);
    }
    // Unanswered: two currencies, or an account not opened yet.
    let answers = answers.into_iter().map(|a| a.unwrap_or(Ok(Batched::Alone))).collect();
    Ok(Plan { answers, writes, deltas: deltas(accounts, &ledger), audits })
}

fn balance_key(w: &WalletRow) -> Result<String> {
    Ok(AccountKey::wallet(AccountKind::WalletBalance, w.id, currency_of(w)?, w.is_demo)?.key())
}

/// The locked accounts as the reference model's ledger (no transfers: replays of stored ids
/// are answered from the database before the model sees them).
pub(crate) fn model_of(rows: &[AccountRow]) -> Result<Ledger> {
    let mut ledger = Ledger::default();
    for a in rows {
        let currency = Currency::parse("currency", &a.currency).map_err(|_| {
            brokercrm_core::Error::internal(format!("ledger account {}: bad currency", a.id))
        })?;
        let policy =
            Policy { floor: Money::from_minor(a.floor), allows_overdraft: a.allows_overdraft };
        let account = Account {
            currency,
            demo: a.demo,
            policy,
            balance: a.balance,
            pending_debits: a.pending_debits,
            pending_credits: a.pending_credits,
        };
        ledger.accounts.insert(a.id, account);
    }
    Ok(ledger)
}

/// What the model changed on each locked account.
pub(crate) fn deltas(rows: &[AccountRow], ledger: &Ledger) -> Vec<Delta> {
    rows.iter()
        .filter_map(|a| {
            let now = ledger.accounts.get(&a.id)?;
            Some(Delta {
                account_id: a.id,
                balance: now.balance - a.balance,
                pending_debits: now.pending_debits - a.pending_debits,
                pending_credits: now.pending_credits - a.pending_credits,
            })
        })
        .collect()
}
