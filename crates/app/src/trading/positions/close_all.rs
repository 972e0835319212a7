//! Closing positions in the caller's write transaction with one statement per table — the
//! one settle path of every close (the trade lane's batches, trigger and stop-out closes,
//! a single close): first the swaps a position still owes for the rollovers it was open over
//! are charged as the daily job would (`swaps::charge_before_close`: nothing to do for most
//! closes, a transfer per day and one update for the first close after a midnight), then
//! each close decided in memory (`settle::settle`), the rows replaced together by id and
//! version, the closing orders inserted together, the realised P/L posted together
//! (`ledger::post_many`, losses protected in order) and the `PositionClosed` events published
//! as one batch. Any failure fails the whole call: the caller rolls back (and may close each
//! alone).

use brokercrm_core::money::ledger::TransferCode;
use brokercrm_core::trading::positions::{CloseReason, Status};
use brokercrm_core::{Currency, Error, Result};
use brokercrm_engine::Price;
use brokercrm_store::DatabaseTransaction;
use brokercrm_store::repo::money::wallets::WalletRow;
use brokercrm_store::repo::trading::orders::{self, OrderRow};
use brokercrm_store::repo::trading::positions::{self, PositionRow};

use super::ledger::{Posting, Shortfall, post_many};
use super::market::Lookups;
use super::settle::{Settled, settle};
use super::swaps::charge_before_close;
use crate::App;
use crate::trading::events::PositionClosed;

/// One close of a batch: open position `position` (read in the transaction) on wallet
/// `wallet` (locked in it) at executed price `at`.
pub struct Closing<'a> {
    pub wallet: &'a WalletRow,
    pub position: &'a PositionRow,
    pub at: Price,
    pub reason: CloseReason,
}

/// Closes every one of `list` in `tx`; returns the closed rows, in order. A position twice
/// in `list`, or one that moved since it was read, fails the whole call as a conflict.
pub async fn close_all_in(
    app: &App,
    tx: &DatabaseTransaction,
    look: &mut Lookups,
    list: &[Closing<'_>],
) -> Result<Vec<PositionRow>> {
    if list.is_empty() {
        return Ok(Vec::new());
    }
    // Refused before anything is written (`settle` would refuse it too).
    if let Some(c) = list.iter().find(|c| c.position.status != Status::Open.as_str()) {
        return Err(Error::Conflict(format!("position {} is not open", c.position.id)));
    }
    let began = std::time::Instant::now();
    let mut laps: Vec<(&str, u128)> = Vec::new();
    let mut lap = |name| laps.push((name, began.elapsed().as_micros()));
    let open: Vec<(&WalletRow, &PositionRow)> =
        list.iter().map(|c| (c.wallet, c.position)).collect();
    let charged = charge_before_close(tx, look, &open, app.clock().now()).await?;
    lap("swaps");
    let mut settled: Vec<Settled> = Vec::with_capacity(list.len());
    for c in list {
        let p = charged.get(&c.position.id).unwrap_or(c.position);
        let to = Currency::parse("currency", &c.wallet.currency)?;
        let from = look.market(tx, &p.symbol).await?.spec.currency;
        let conv = look.conversion(tx, from, to).await?.clone();
        let m = look.market(tx, &p.symbol).await?;
        settled.push(settle(m, &conv, c.wallet, p, c.at, c.reason)?);
    }
    lap("settled");
    let rows: Vec<PositionRow> = settled.iter().map(|s| s.closed.clone()).collect();
    positions::close_many(tx, &rows, Status::Open.as_str()).await?;
    lap("updated");
    let orders: Vec<OrderRow> = settled.iter().map(|s| s.order.clone()).collect();
    orders::insert_many(tx, &orders).await?;
    lap("ordered");
    let postings: Vec<Posting> = list
        .iter()
        .zip(&settled)
        .map(|(c, s)| Posting {
            wallet: c.wallet,
            id: s.transfer_id(),
            amount: s.pl_account,
            code: TransferCode::TradingPnl,
            shortfall: Shortfall::Protect,
            note: s.note(),
        })
        .collect();
    post_many(tx, &postings).await?;
    lap("posted");
    let events: Vec<PositionClosed> = settled.into_iter().map(|s| s.event).collect();
    app.events().publish_all(tx, &events).await?;
    lap("published");
    tracing::debug!(closes = rows.len(), ?laps, "positions: close_all steps (µs)");
    Ok(rows)
}
