//! Posting many new transfers inside the caller's write transaction at once (a commission
//! accrual batch, say): the rows inserted in multi-row statements first (a transfer id stored
//! already fails the call), then every account involved locked in ascending id order, each
//! transfer decided in order on the ledger's reference model and every account moved in one
//! more statement. Locking last keeps a hot account (commission expense) locked only for the
//! final update and the commit, so two batches overlap everywhere else. Any refusal (funds,
//! limits, a transfer id already stored) fails the whole call and the caller rolls back.
use brokercrm_core::money::ledger::NewTransfer;
use brokercrm_core::{Error, Result};
use brokercrm_store::ConnectionTrait;
use brokercrm_store::repo::money::ledger::batch;

use super::outcome::body_hash;
use crate::money::wallets::transfer::{deltas, model_of};

/// Posts (or reserves, per `pending`) every transfer of `list`, all new, in `tx`.
pub async fn apply_many_in<C: ConnectionTrait>(tx: &C, list: &[NewTransfer]) -> Result<()> {
    if list.is_empty() {
        return Ok(());
    }
    let mut account_ids: Vec<i64> =
        list.iter().flat_map(|t| [t.debit_account_id, t.credit_account_id]).collect();
    account_ids.sort_unstable();
    account_ids.dedup();
    let writes: Vec<_> = list.iter().map(|t| (t.clone(), body_hash(&t.fingerprint()))).collect();
    batch::insert(tx, &writes).await?;
    let accounts = batch::lock_accounts(tx, &account_ids).await?;
    let mut ledger = model_of(&accounts)?;
    for t in list {
        let (_, replayed) = ledger.apply(t)?;
        if replayed {
            return Err(Error::Conflict(format!("transfer {} appears twice in a batch", t.id)));
        }
    }
    batch::apply_deltas(tx, &deltas(&accounts, &ledger)).await
}
