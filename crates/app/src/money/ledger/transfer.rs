//! Applying a transfer at once, or reserving it as pending (a withdrawal request), in one
//! write transaction. Same id and body replays the stored result; same id with another body
//! is a conflict; insufficient funds is a validation error on `amount`.

use brokercrm_core::Result;
use brokercrm_core::money::ledger::NewTransfer;
use brokercrm_store::db::commit;
use brokercrm_store::repo::money::ledger::{Applied, apply};
use brokercrm_store::{ConnectionTrait, Db};

use super::outcome::{Outcome, body_hash, outcome};

/// Applies `t`: posted at once unless `t.pending`, in which case it is reserved.
pub async fn transfer(db: &Db, t: &NewTransfer) -> Result<Outcome> {
    t.validate()?;
    let hash = body_hash(&t.fingerprint());
    let tx = db.begin_write().await?;
    let applied = apply::transfer(&tx, t, &hash).await?;
    commit(tx).await?;
    outcome(applied)
}

/// Reserves `t` as a pending transfer: the amount counts against the debit account's
/// available balance until it is posted or voided.
pub async fn reserve(db: &Db, t: NewTransfer) -> Result<Outcome> {
    transfer(db, &NewTransfer { pending: true, ..t }).await
}

/// Applies `t` inside the caller's transaction `tx` (which it commits).
pub(crate) async fn apply_in<C: ConnectionTrait>(tx: &C, t: &NewTransfer) -> Result<Applied> {
    t.validate()?;
    apply::transfer(tx, t, &body_hash(&t.fingerprint())).await
}
