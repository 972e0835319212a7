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
