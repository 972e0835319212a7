//! Persistence of the double-entry ledger, the one home of the `ledger_accounts` and
//! `ledger_transfers` SQL: accounts (get-or-create by key), applying and resolving transfers
//! with conditional updates inside the caller's write transaction, reads of balances and
//! transfers (the transaction list, coin movements, reports), and the raw reads behind
//! `ledger verify`.

pub mod accounts;
pub mod apply;
pub mod batch;
pub mod batch_pg;
pub mod coins;
pub mod customer_moves;
pub mod moves;
pub mod reports;
pub mod resolve;
pub mod transactions;
pub mod transfers;
pub mod verify;

pub use crate::entities::ledger_accounts::Model as AccountRow;
pub use crate::entities::ledger_transfers::Model as TransferRow;

/// The stored result of a transfer request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    pub transfer: TransferRow,
    /// True when the id was already applied with the same body (nothing changed now).
    pub replayed: bool,
}

/// The change of one account's sums (minor units; zero for "unchanged").
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Delta {
    pub account_id: i64,
    pub balance: i64,
    pub pending_debits: i64,
    pub pending_credits: i64,
}

impl Delta {
    /// Whether it leaves the account as it was.
    pub fn is_zero(&self) -> bool {
        self.balance == 0 && self.pending_debits == 0 && self.pending_credits == 0
    }
}
