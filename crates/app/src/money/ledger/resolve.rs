//! Deciding a pending transfer: post (all, or a smaller changed amount) or void it. Two
//! concurrent decisions on one reservation: exactly one wins, the other gets a conflict.

use brokercrm_core::Money;
use brokercrm_core::Result;
use brokercrm_core::money::ledger::{Resolution, ResolveTransfer, TransferId};
use brokercrm_store::Db;
use brokercrm_store::db::commit;
use brokercrm_store::repo::money::ledger::resolve as store;

use super::outcome::{Outcome, body_hash, outcome};

async fn resolve(db: &Db, r: &ResolveTransfer) -> Result<Outcome> {
    r.validate()?;
    let hash = body_hash(&r.fingerprint());
    let tx = db.begin_write().await?;
    let applied = store::resolve(&tx, r, &hash).await?;
    commit(tx).await?;
    outcome(applied)
}

/// Posts pending transfer `pending_id` under the new transfer id `id`; `amount` (at most the
/// reserved amount) posts less and releases the rest.
pub async fn post(
    db: &Db,
    id: TransferId,
    pending_id: TransferId,
    amount: Option<Money>,
    user_data: Option<String>,
) -> Result<Outcome> {
    resolve(
        db,
        &ResolveTransfer { id, pending_id, resolution: Resolution::Post { amount }, user_data },
    )
    .await
}

/// Voids pending transfer `pending_id` under the new transfer id `id`, releasing the funds.
pub async fn void(
    db: &Db,
    id: TransferId,
    pending_id: TransferId,
    user_data: Option<String>,
) -> Result<Outcome> {
    resolve(db, &ResolveTransfer { id, pending_id, resolution: Resolution::Void, user_data }).await
}
