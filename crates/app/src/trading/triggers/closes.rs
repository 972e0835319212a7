//! The closes one evaluator pass made due, committed together: one write transaction for all
//! of them (one wait for the writer, one commit, one flush) with one statement per table
//! (`positions::close_all`, each close decided as a single close is). Wallets are locked in
//! ascending id order and the positions read after, so a position that moved on is left out
//! before anything is written. If the batch fails (a refusal, a race), it rolls back and
//! each close runs alone (`fire::close`), so one bad close never holds the others back.

use std::collections::{HashMap, HashSet};

use brokercrm_core::Result;
use brokercrm_core::trading::positions::{CloseReason, Status};
use brokercrm_engine::Price;
use brokercrm_store::repo::money::wallets::{self, WalletRow};
use brokercrm_store::repo::trading::positions::{self, PositionRow};

use super::fire::{self, Outcome, executed};
use crate::App;
use crate::trading::events::TradeChanged;
use crate::trading::positions::close_all::{Closing, close_all_in};
use crate::trading::positions::market::Lookups;

/// A close a tick made due: position `id` of wallet `wallet_id`, if still OPEN at `version`,
/// at raw price `at`.
#[derive(Debug, Clone, Copy)]
pub struct Due {
    pub id: i64,
    pub wallet_id: i64,
    pub version: i64,
    pub at: Price,
    pub reason: CloseReason,
}

/// Closes every one of `due`; returns each position's outcome, in `due`'s order.
pub async fn close_many(app: &App, due: &[Due]) -> Vec<(i64, Result<Outcome>)> {
    if due.len() > 1 {
        match together(app, due).await {
            Ok(out) => return out,
            Err(e) => {
                tracing::warn!(error = ?e, closes = due.len(), "trigger closes: the batch failed; closing each alone");
            }
        }
    }
    let mut out = Vec::with_capacity(due.len());
    for d in due {
        out.push((d.id, fire::close(app, d.id, d.version, d.at, d.reason).await));
    }
    out
}

async fn together(app: &App, due: &[Due]) -> Result<Vec<(i64, Result<Outcome>)>> {
    let began = std::time::Instant::now();
    let mut laps: Vec<(&str, u128)> = Vec::new();
    let mut lap = |name| laps.push((name, began.elapsed().as_micros()));
    let ids: Vec<i64> = due.iter().map(|d| d.id).collect();
    // A position never changes wallet: the books' wallet is the row's.
    let mut wallet_ids: Vec<i64> = due.iter().map(|d| d.wallet_id).collect();
    wallet_ids.sort_unstable();
    wallet_ids.dedup();
    let tx = app.db().begin_write().await?;
    lap("begun");
    let locked: HashMap<i64, WalletRow> =
        wallets::lock_many(&tx, &wallet_ids).await?.into_iter().map(|w| (w.id, w)).collect();
    lap("locked");
    let rows: HashMap<i64, PositionRow> =
        positions::find_many(&tx, &ids).await?.into_iter().map(|p| (p.id, p)).collect();
    lap("read");
    let mut look = Lookups::default();
    let mut taken: HashSet<i64> = HashSet::new();
    let mut closing = Vec::with_capacity(due.len());
    let mut out = Vec::with_capacity(due.len());
    for d in due {
        let current = rows
            .get(&d.id)
            .filter(|p| {
                p.version == d.version
                    && p.status == Status::Open.as_str()
                    && p.wallet_id == d.wallet_id
            })
            .and_then(|p| Some((p, locked.get(&p.wallet_id)?)))
            .filter(|_| taken.insert(d.id));
        let Some((p, w)) = current else {
            out.push((d.id, Ok(Outcome::Moved)));
            continue;
        };
        let m = look.market(&tx, &p.symbol).await?.clone();
        let at = executed(&look.markups(&tx, w).await?, &m, &p.side, d.at, false);
        match at {
            Ok(at) => {
                closing.push(Closing { wallet: w, position: p, at, reason: d.reason });
                out.push((d.id, Ok(Outcome::Moved))); // Done once committed, below
            }
            Err(e) => out.push((d.id, Err(e))),
        }
    }
    lap("priced");
    let closed = close_all_in(app, &tx, &mut look, &closing).await?;
    lap("written");
    let mut after = app.bus().pending();
    for p in &closed {
        after.push(TradeChanged::of(p));
    }
    after.commit(tx).await?;
    lap("committed");
    tracing::debug!(closes = closed.len(), ?laps, "trigger closes: batch steps (µs)");
    let mut closed: HashMap<i64, PositionRow> = closed.into_iter().map(|p| (p.id, p)).collect();
    for (id, outcome) in &mut out {
        if let Some(p) = closed.remove(id) {
            *outcome = Ok(Outcome::Done(Box::new(p)));
        }
    }
    Ok(out)
}
