//! `ledger verify`: every account checked against its floor and its transfers, every
//! currency netting to zero, every transfer row valid. Read-only.

use brokercrm_core::Result;
use brokercrm_core::money::ledger::verify::{AccountState, Checker, Violation};
use brokercrm_store::Db;
use brokercrm_store::repo::money::ledger::verify as store;

/// Accounts read per page.
const PAGE: u64 = 5_000;
/// Invalid transfer rows listed per rule.
const SAMPLE: u64 = 1_000;

/// What `verify` found.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct VerifyReport {
    pub accounts: u64,
    pub transfers: u64,
    pub violations: Vec<Violation>,
}

impl VerifyReport {
    pub fn is_clean(&self) -> bool {
        self.violations.is_empty()
    }
}

/// Checks every invariant of the ledger on one snapshot of the database.
pub async fn verify(db: &Db) -> Result<VerifyReport> {
    let tx = store::begin_snapshot(db).await?;
    let conn = &tx;
    let sums = store::sums(conn).await?;
    let mut checker = Checker::new();
    let mut after = 0;
    loop {
        let page = store::accounts_page(conn, after, PAGE).await?;
        let Some(last) = page.last() else { break };
        after = last.id;
        for a in &page {
            let state = AccountState {
                id: a.id,
                currency: a.currency.clone(),
                balance: a.balance,
                pending_debits: a.pending_debits,
                pending_credits: a.pending_credits,
                floor: a.floor,
                allows_overdraft: a.allows_overdraft,
            };
            checker.account(&state, sums.get(&a.id).copied().unwrap_or_default());
        }
    }
    for (id, reason) in store::invalid_transfers(conn, SAMPLE).await? {
        checker.invalid_transfer(id, reason);
    }
    let transfers = u64::try_from(store::count_transfers(conn).await?).unwrap_or(0);
    tx.rollback().await.map_err(brokercrm_core::Error::internal)?;
    let accounts = checker.accounts();
    Ok(VerifyReport { accounts, transfers, violations: checker.finish() })
}
