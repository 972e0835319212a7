//! What trading publishes on the in-transaction event hook (`platform::events`), and what it
//! announces after commit to this process's live streams (`platform::after_commit`).

use brokercrm_core::{Currency, Money};
use brokercrm_engine::fixed::Lots;

use crate::platform::after_commit::Notice;
use crate::platform::events::Event;

/// A position was closed (by the client, staff, a trigger, a stop-out or its duration), inside
/// the transaction that posted its realised P/L. Published once per position, never on a replay.
/// Partners accrue per-lot and revenue-share commissions from it.
#[derive(Debug, Clone)]
pub struct PositionClosed {
    pub position_id: i64,
    /// The wallet the position traded on, and its owner.
    pub wallet_id: i64,
    pub customer_id: i64,
    /// True when the wallet is in the demo book (demo trading earns no commission).
    pub demo: bool,
    pub symbol: String,
    /// The closed volume.
    pub lots: Lots,
    /// In the wallet's currency: the realised P/L of the client (negative = the broker won),
    /// and the commission and swaps the client paid over the position's life (positive = paid).
    pub currency: Currency,
    pub realised_pl: Money,
    pub commission: Money,
    pub swap: Money,
    /// The ledger transfer that posted the close (the accrual's exactly-once key).
    pub transfer_id: String,
}

impl Event for PositionClosed {}

/// A wallet's margin level fell to its group's margin-call level (published once per fall,
/// in its own transaction, by the trigger evaluator; messaging may notify the client).
#[derive(Debug, Clone)]
pub struct MarginCalled {
    pub wallet_id: i64,
    pub customer_id: i64,
    pub demo: bool,
    pub currency: Currency,
    pub equity: Money,
    pub margin: Money,
    /// Hundredths of a percent (equity / margin), and the group's margin-call level.
    pub margin_level: i64,
    pub margin_call_level: i32,
}

impl Event for MarginCalled {}

/// A wallet reached its group's stop-out level and positions were closed to recover it
/// (published once per stop-out, in the transaction that closed them; messaging may notify
/// the client).
#[derive(Debug, Clone)]
pub struct StoppedOut {
    pub wallet_id: i64,
    pub customer_id: i64,
    pub demo: bool,
    pub currency: Currency,
    /// The equity when the level was reached.
    pub equity: Money,
    /// The positions closed, in the order they closed (never empty).
    pub positions: Vec<i64>,
}

impl Event for StoppedOut {}

/// A client's position (and its orders) or wallet changed: opened, filled, edited, closed,
/// cancelled. Announced after the commit, once per position and transaction, by the process
/// that committed it, and again by every process's live relay (`trading::live::relay`), which
/// follows the positions table; the live stream of the wallet's owner reads the committed
/// state back and sends each version of a position once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TradeChanged {
    /// The wallet's owner.
    pub user_id: i64,
    pub wallet_id: i64,
    pub position_id: i64,
    /// The version announced: the one the relay read, or the one the committing transaction
    /// stored, so a stream that already sent it (by either way, in either order) sends it
    /// once; `None`: send it whatever was sent before.
    pub seen: Option<i64>,
}

impl Notice for TradeChanged {}

impl TradeChanged {
    /// The change of position `p` (a stored position row, at the version it was stored at).
    pub fn of(p: &brokercrm_store::repo::trading::positions::PositionRow) -> Self {
        let seen = Some(p.version);
        Self { user_id: p.user_id, wallet_id: p.wallet_id, position_id: p.id, seen }
    }
}

/// Money moved on a client's wallet (a deposit, a withdrawal, a transfer, a bonus, a swap
/// charge, a trade's P/L or commission: any ledger transfer touching one of its accounts),
/// committed by any instance. Announced by the live relay (`trading::live::relay`), which
/// follows the ledger; the owner's live stream sends the wallet's figures as they stand.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WalletMoved {
    /// The wallet's owner.
    pub user_id: i64,
    pub wallet_id: i64,
}

impl Notice for WalletMoved {}
