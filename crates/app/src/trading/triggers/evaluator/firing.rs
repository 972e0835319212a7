//! Firing: the tape's ticks and the latest quotes run through the books; closes committed
//! together (`closes`) in a task while the pass goes on, fills one by one, fired stop-out
//! thresholds marking their wallets.

use std::collections::HashMap;

use brokercrm_core::Result;
use brokercrm_core::trading::positions::CloseReason;
use brokercrm_engine::Price;
use brokercrm_engine::book::Kind;
use brokercrm_store::db;

use super::{Evaluator, Pass, Symbol};
use crate::App;
use crate::trading::triggers::closes::{Due, close_many};
use crate::trading::triggers::fire::{self, Outcome};

impl Evaluator {
    /// Runs the ticks on the tape through the books of the symbols that trade now.
    pub(super) async fn feed(
        &mut self,
        app: &App,
        symbols: &HashMap<String, Symbol>,
        closes: &mut Vec<Due>,
        out: &mut Pass,
    ) {
        for t in self.tape.drain() {
            if symbols.get(&t.symbol).is_some_and(|s| s.open) {
                self.on_tick(app, &t.symbol, t.bid, t.ask, closes, out).await;
            }
        }
    }

    /// One price of `symbol` through its book: closes join `closes`, fills commit now, fired
    /// stop-out thresholds mark their wallets for screening.
    pub(super) async fn on_tick(
        &mut self,
        app: &App,
        symbol: &str,
        bid: Price,
        ask: Price,
        closes: &mut Vec<Due>,
        out: &mut Pass,
    ) {
        let Some(book) = self.books.books.get_mut(symbol) else { return };
        let tick = book.on_tick(bid, ask);
        if tick.rekey_stop_outs {
            self.dirty.extend(self.books.wallets_on(symbol));
        }
        for f in tick.fired {
            let id = i64::try_from(f.id).unwrap_or_default();
            if f.kind == Kind::StopOut {
                self.dirty.insert(id); // a wallet's threshold: screen it exactly
            } else {
                self.commit(app, id, f.kind, f.price, closes, out).await;
            }
        }
    }

    /// Starts committing `due` together, in a task of its own: the pass goes on with its reads
    /// (following changes, screening) while the batch writes, and [`Self::settle_closes`] at
    /// its end records the outcomes. Until then the closes count as settled at the version
    /// they will have, so following does not load them back into the books.
    pub(super) fn dispatch(&mut self, app: &App, due: Vec<Due>) {
        if due.is_empty() {
            return;
        }
        let now = db::now();
        let ids: Vec<i64> = due.iter().map(|d| d.id).collect();
        for d in &due {
            self.settled.insert(d.id, (d.version + 1, now));
        }
        let app = app.clone();
        let batch = tokio::spawn(async move {
            let done = close_many(&app, &due).await;
            (done, std::time::Instant::now())
        });
        self.in_flight.push((ids, batch));
    }

    /// Waits for every dispatched batch and records each outcome; a close that did not
    /// commit is read again (its row is whatever the database holds).
    pub(super) async fn settle_closes(&mut self, out: &mut Pass) {
        for (ids, batch) in std::mem::take(&mut self.in_flight) {
            let (done, committed) = match batch.await {
                Ok(d) => d,
                Err(e) => {
                    tracing::error!(error = ?e, "trigger evaluator: a close batch panicked");
                    ids.into_iter().for_each(|id| self.read_again(id));
                    continue;
                }
            };
            for (id, done) in done {
                match done {
                    Ok(Outcome::Done(p)) => {
                        self.closed_on(p.wallet_id);
                        self.settled.insert(p.id, (p.version, db::now()));
                        out.closed.push(p.id);
                        out.closed_at.push(committed);
                    }
                    Ok(_) => self.read_again(id),
                    Err(e) => {
                        tracing::error!(error = ?e, position = id, "trigger evaluator: close failed");
                        self.read_again(id);
                    }
                }
            }
        }
    }

    /// A dispatched close that did not commit: no longer counted as settled, and read again.
    fn read_again(&mut self, id: i64) {
        self.settled.remove(&id);
        self.reread.insert(id);
    }

    /// After a close of the evaluator's own on wallet `id`: a wallet left without open
    /// positions loses its stop-out thresholds now (nothing to screen); one still holding some
    /// is re-keyed within [`super::REKEY_EVERY`].
    fn closed_on(&mut self, id: i64) {
        if self.books.holds(id) {
            self.rekey.insert(id);
            return;
        }
        let account = u64::try_from(id).unwrap_or_default();
        for book in self.books.books.values_mut() {
            book.set_stop_out(account, None);
        }
        self.called.remove(&id);
    }

    /// Fills a pending order that fired now; a close joins `closes`, committed together after
    /// every book has seen its tick.
    pub(super) async fn commit(
        &mut self,
        app: &App,
        id: i64,
        kind: Kind,
        at: Price,
        closes: &mut Vec<Due>,
        out: &mut Pass,
    ) {
        let Some((version, wallet_id)) =
            self.books.known.get(&id).map(|k| (k.version, k.wallet_id))
        else {
            return;
        };
        self.books.drop_position(id);
        let reason = match kind {
            Kind::StopLoss => CloseReason::StopLoss,
            Kind::TakeProfit => CloseReason::TakeProfit,
            Kind::Trailing => CloseReason::TrailingStop,
            Kind::Limit | Kind::Stop => {
                let done = fire::fill(app, id, version, at).await;
                return self.filled(id, done, out);
            }
            Kind::StopOut => return,
        };
        closes.push(Due { id, wallet_id, version, at, reason });
    }

    /// Records what became of a fill.
    pub(super) fn filled(&mut self, id: i64, done: Result<Outcome>, out: &mut Pass) {
        match done {
            Ok(Outcome::Done(p)) => {
                out.filled.push(p.id);
                self.reread.insert(p.id);
            }
            Ok(Outcome::Cancelled) => out.cancelled.push(id),
            Ok(Outcome::Moved) => _ = self.reread.insert(id),
            Err(e) => {
                tracing::error!(error = ?e, position = id, "trigger evaluator: commit failed");
                self.reread.insert(id);
            }
        }
    }
}
