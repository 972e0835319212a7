//! Live updates: what the trading WebSocket streams. A client follows quotes of the symbols
//! it subscribes to and its own positions, orders and wallets ([`session`]); staff follow the
//! risk exposures ([`exposures`]). Everything streamed comes from this process's
//! after-commit channels (`platform::after_commit`): each instance streams the ticks it
//! ingested and the changes it committed, never another instance's.

pub mod exposures;
pub mod inbox;
pub mod relay;
pub mod session;
pub mod subscriptions;

pub use inbox::{Batch, Inbox, Quote};
pub use session::{Command, Push, Reply, Session};
