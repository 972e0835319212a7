//! What money publishes on the in-transaction event hook (`platform::events`): other contexts
//! (distribution's FTD, bonuses, later partners' commissions) subscribe without money knowing.

use brokercrm_core::money::ledger::TransferId;
use brokercrm_core::{Currency, Money};
use brokercrm_store::repo::money::wallets::WalletRow;

use crate::platform::events::Event;

/// A deposit posted into a wallet's balance, whatever brought it (a staff manual deposit, a
/// payment provider's confirmed callback). Published once per deposit transfer, never on a
/// replay, inside the transaction that posted it.
pub struct DepositPosted {
    /// The wallet credited, as read in the transaction.
    pub wallet: WalletRow,
    /// The wallet's owner.
    pub customer_id: i64,
    /// The ledger transfer that posted the deposit.
    pub transfer: TransferId,
    pub amount: Money,
    pub currency: Currency,
    /// The deposit method or payment provider, when known.
    pub method: Option<String>,
}

impl Event for DepositPosted {}

impl DepositPosted {
    pub fn new(
        wallet: &WalletRow,
        transfer: &TransferId,
        amount: Money,
        currency: Currency,
        method: Option<&str>,
    ) -> Self {
        Self {
            wallet: wallet.clone(),
            customer_id: wallet.user_id,
            transfer: transfer.clone(),
            amount,
            currency,
            method: method.map(str::to_owned),
        }
    }
}

/// A wallet and its ledger accounts were opened, inside the transaction that inserted them.
pub struct WalletOpened {
    pub wallet: WalletRow,
}

impl Event for WalletOpened {}
