//! After the closes: stop-out and margin-call screening (the dirty wallets, and the 5 s sweep
//! spread over passes) and the trailing stops' moved levels written back.

use std::collections::{HashMap, HashSet};

use brokercrm_core::Result;
use brokercrm_store::db;
use brokercrm_store::repo::trading::positions;

use super::{
    Evaluator, Pass, REKEY_EVERY, SCREEN_BUDGET, SWEEP_EVERY, SWEEP_SHARES, Symbol, TRAILED_EVERY,
    UPKEEP_YIELDS,
};
use crate::App;
use crate::trading::triggers::screen::{BookTerms, screen};
use crate::trading::triggers::stopout;

impl Evaluator {
    /// Writes back the levels trailing stops moved to (at most once per [`TRAILED_EVERY`]), so
    /// a new lease holder's rebuild, or a restart, trails on from them.
    pub(super) async fn write_trailing(&mut self, app: &App) -> Result<()> {
        if self.trailed.is_some_and(|t| t.elapsed() < TRAILED_EVERY) {
            return Ok(());
        }
        self.trailed = Some(std::time::Instant::now());
        let moved = self.books.moved_trailing();
        if moved.is_empty() {
            return Ok(());
        }
        let tx = app.db().begin_write().await?;
        positions::set_trailing_levels(&tx, &moved).await?;
        db::commit(tx).await
    }

    /// Stop-out and margin calls: the wallets marked dirty, those of the evaluator's own
    /// closes at most every [`REKEY_EVERY`] (and every wallet holding open
    /// positions each [`SWEEP_EVERY`], for what the thresholds do not follow: deposits and
    /// withdrawals, other symbols' moves, conversion rates) are screened read-only; each gets
    /// its new thresholds in the books, and the exact check (in a write transaction) runs only
    /// for a wallet at or below a level while one of its symbols trades.
    pub(super) async fn stop_outs(
        &mut self,
        app: &App,
        symbols: &HashMap<String, Symbol>,
        out: &mut Pass,
    ) -> Result<()> {
        if self.swept.is_none_or(|t| t.elapsed() >= SWEEP_EVERY) {
            self.swept = Some(std::time::Instant::now());
            let mut all: Vec<i64> = self.books.holders().into_iter().collect();
            all.sort_unstable();
            // The first sweep after a rebuild at once; later ones a share per pass, so no one
            // pass reads every open position while ticks wait.
            if self.sweep.is_empty() && self.sweep_share == 0 {
                self.dirty.extend(all);
                self.sweep_share = 1;
            } else {
                self.sweep_share = all.len().div_ceil(SWEEP_SHARES);
                let queued: HashSet<i64> = self.sweep.iter().copied().collect();
                self.sweep.extend(all.into_iter().filter(|w| !queued.contains(w)));
            }
        }
        if !self.rekey.is_empty() && self.rekeyed.is_none_or(|t| t.elapsed() >= REKEY_EVERY) {
            self.rekeyed = Some(std::time::Instant::now());
            // The closes' wallets before the sweep's.
            let mut first: Vec<i64> = self.rekey.drain().collect();
            first.sort_unstable();
            let ahead: HashSet<i64> = first.iter().copied().collect();
            first.extend(self.sweep.drain(..).filter(|w| !ahead.contains(w)));
            self.sweep = first;
        }
        // The share, and more while the wallets taken hold fewer positions than the budget;
        // none while ticks wait on the tape, for up to UPKEEP_YIELDS since the last upkeep.
        let yields =
            self.tape.waiting() && self.upkept.is_some_and(|t| t.elapsed() < UPKEEP_YIELDS);
        if !yields && !self.sweep.is_empty() {
            self.upkept = Some(std::time::Instant::now());
            let mut held = 0;
            let mut take = 0;
            while take < self.sweep.len()
                && (take < self.sweep_share.max(1) || held < SCREEN_BUDGET)
            {
                held += self.books.held_by(self.sweep[take]);
                take += 1;
            }
            self.dirty.extend(self.sweep.drain(..take));
        }
        if self.dirty.is_empty() {
            return Ok(());
        }
        let mut wallets: Vec<i64> = std::mem::take(&mut self.dirty).into_iter().collect();
        wallets.sort_unstable();
        let terms: HashMap<String, BookTerms> = self
            .books
            .books
            .iter()
            .map(|(s, b)| {
                let tick = symbols.get(s).map_or(1, |x| x.tick);
                (s.clone(), BookTerms { tick, spread_allowance: b.spread_allowance() })
            })
            .collect();
        let screened = match screen(app, &wallets, &terms, &self.called).await {
            Ok(s) => s,
            Err(e) => {
                self.dirty.extend(wallets); // again on the next pass
                return Err(e);
            }
        };
        for s in screened {
            let account = u64::try_from(s.wallet_id).unwrap_or_default();
            for book in self.books.books.values_mut() {
                book.set_stop_out(account, None);
            }
            for (symbol, t) in &s.thresholds {
                if let Some(book) = self.books.books.get_mut(symbol) {
                    book.set_stop_out(account, *t);
                }
            }
            let trades = s.thresholds.iter().any(|(x, _)| symbols.get(x).is_some_and(|x| x.open));
            let notify = !self.called.contains(&s.wallet_id);
            if !s.margin_call {
                self.called.remove(&s.wallet_id);
            }
            if !trades || !(s.stop_out || (s.margin_call && notify)) {
                continue;
            }
            match stopout::check(app, s.wallet_id, notify).await {
                Ok(c) => {
                    for id in &c.closed {
                        self.books.drop_position(*id);
                    }
                    out.stopped_out.extend(c.closed);
                    if c.margin_call {
                        if notify {
                            out.margin_calls.push(s.wallet_id);
                        }
                        self.called.insert(s.wallet_id);
                    } else {
                        self.called.remove(&s.wallet_id);
                    }
                }
                Err(e) => {
                    tracing::error!(error = ?e, wallet = s.wallet_id, "stop-out check failed");
                    self.dirty.insert(s.wallet_id);
                }
            }
        }
        Ok(())
    }
}
