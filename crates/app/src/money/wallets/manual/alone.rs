//! A manual transaction in its own write transaction: when an account is not opened yet
//! (opened here), or when the lane's batch failed.

use brokercrm_core::Result;
use brokercrm_core::identity::auth::Permission;
use brokercrm_store::db;
use brokercrm_store::repo::money::ledger::accounts;
use brokercrm_store::repo::money::wallets::WalletRow;

use super::post::{Manual, audit_entry, check_wallet, event_of, keys, transfer_of};
use crate::App;
use crate::money::ledger::transfer::apply_in;
use crate::money::wallets::visible;
use crate::platform::audit;

/// Checks, opens the accounts if missing, applies and (unless replayed) runs what follows,
/// all in one write transaction; answers the wallet as read there.
pub(super) async fn manual_alone(app: &App, m: &Manual) -> Result<WalletRow> {
    let tx = app.db().begin_write().await?;
    let w = visible(&tx, &m.actor, m.wallet_id, Permission::ManageWalletMoney).await?;
    let currency = check_wallet(m, &w)?;
    let ids = accounts::get_or_create_many(&tx, &keys(m, &w, currency)?).await?;
    let [wallet, house] = ids.as_slice() else {
        return Err(brokercrm_core::Error::internal("manual transaction accounts missing"));
    };
    let t = transfer_of(m, *wallet, *house, currency);
    if !apply_in(&tx, &t).await?.replayed {
        if let Some(posted) = event_of(m, &w, &t) {
            app.events().publish(&tx, &posted).await?;
        }
        audit::record(&tx, Some(&m.actor), audit_entry(m, &t)).await?;
    }
    db::commit(tx).await?;
    Ok(w)
}
