//! Ledger use cases: open accounts, transfer, reserve (pending), post or void a reservation,
//! read balances and verify the invariants. Each money movement is one write transaction;
//! balance checks are conditional updates in `store`, never read-then-write.

pub mod accounts;
pub mod batch;
mod outcome;
pub mod resolve;
pub mod transfer;
pub mod verify;

pub use accounts::{Balance, WalletAccounts, balance, house_account, open_wallet_accounts};
pub use batch::apply_many_in;
pub(crate) use outcome::body_hash;
pub use outcome::{Outcome, Transfer};
pub use resolve::{post, void};
pub use transfer::{reserve, transfer};
pub use verify::{VerifyReport, verify};
