//! What follows a deposit posted into a wallet's balance, whatever brought it (a staff manual
//! deposit, a payment provider's confirmed callback): the FTD conversion of the lead the
//! customer came from, and the deposit bonuses. One place, so no deposit path forgets one.

use brokercrm_core::money::ledger::TransferId;
use brokercrm_core::{Money, Result};
use brokercrm_store::ConnectionTrait;
use brokercrm_store::repo::money::wallets::WalletRow;

/// A deposit of `amount` by `method` that posted into the balance of wallet `wallet` under
/// ledger transfer `deposit`, inside the same write transaction as the transfer. Call it once
/// per deposit transfer, never on a replay. Deposit bonuses are granted here, exactly once
/// per (rule, deposit transfer id) (see `bonuses::apply`).
pub async fn after_deposit<C: ConnectionTrait>(
    tx: &C,
    wallet: &WalletRow,
    deposit: &TransferId,
    amount: Money,
    method: Option<&str>,
) -> Result<()> {
    crate::distribution::ftd::record_deposit(tx, wallet.user_id).await?;
    crate::money::bonuses::apply::on_deposit(tx, wallet, deposit, amount, method).await?;
    Ok(())
}
