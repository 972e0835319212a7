//! The commission engine's accrual: money's `DepositPosted` and trading's `PositionClosed`
//! are turned, inside the publisher's transaction, into an `Accrue` job (a money or trading
//! write never waits on commissions; demo wallets and customers without an introducer enqueue
//! nothing). The job pays, for the client's introducer and each ancestor up the levels of the
//! model in force, the CPA (first deposit reaching the level's minimum, once per client), the
//! per-lot rebate and the revenue share, each exactly once per (event, kind, beneficiary,
//! level): a commission record (unique) and a ledger transfer from commission expense to the
//! introducer's commission payable account, both in one transaction. The runner claims the
//! jobs in batches and accrues each batch in one transaction (a failed batch: each alone).
//! A charged-back deposit (money's `DepositReversed`) claws back the CPA it earned
//! (`clawback`).

mod book;
mod clawback;
mod engine;
mod event;
mod events;

pub use book::{Accrual, COMMISSION_CURRENCY, payable_account, post};
pub use engine::{accrue, accrue_many};
pub use event::AccrualEvent;
pub use events::{Accrue, on_deposit_reversed, on_deposits_posted, on_positions_closed};
