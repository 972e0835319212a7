//! The tick tape: every tick this process committed (`prices::TicksStored`), in order, for the
//! evaluator to run through its books one by one. A pass reads only the latest quote of each
//! symbol from the database; between two passes a thousand ticks may arrive, and a stop that
//! one of them touched must fire even when the price moved back before the pass (at the price
//! that touched it, as a platform that sees every tick would).
//!
//! Ticks stored by another instance do not come through here (the bus is per process): for
//! those the latest quote stands in, as it does for ticks lost when the evaluator falls more
//! than `after_commit::CAPACITY` batches behind.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use tokio::sync::broadcast::Receiver;
use tokio::sync::broadcast::error::TryRecvError;

use crate::App;
use crate::trading::prices::{Tick, TicksStored};

/// The evaluator's subscription and, per symbol, the time of the newest price its books saw.
#[derive(Default)]
pub struct Tape {
    rx: Option<Receiver<Arc<TicksStored>>>,
    fed: HashMap<String, DateTime<Utc>>,
}

impl Tape {
    /// Starts listening (a new lease term: the books are rebuilt from the database, and only
    /// ticks committed from now on matter).
    pub fn listen(&mut self, app: &App) {
        self.rx = Some(app.bus().subscribe::<TicksStored>());
        self.fed.clear();
    }

    /// Stops listening (the lease is lost).
    pub fn stop(&mut self) {
        self.rx = None;
        self.fed.clear();
    }

    /// Takes the ticks committed since the last call, each symbol's in time order, leaving out
    /// those not newer than what the books of their symbol already saw.
    pub fn drain(&mut self) -> Vec<Tick> {
        let mut out = Vec::new();
        let Some(rx) = self.rx.as_mut() else { return out };
        loop {
            match rx.try_recv() {
                Ok(batch) => {
                    for t in &batch.ticks {
                        if self.fed.get(&t.symbol).is_none_or(|f| t.at > *f) {
                            self.fed.insert(t.symbol.clone(), t.at);
                            out.push(t.clone());
                        }
                    }
                }
                Err(TryRecvError::Lagged(missed)) => {
                    tracing::warn!(
                        missed,
                        "trigger evaluator: fell behind the tick tape; the latest quotes stand in"
                    );
                }
                Err(TryRecvError::Empty | TryRecvError::Closed) => return out,
            }
        }
    }

    /// Whether ticks committed since the last [`Tape::drain`] are waiting.
    pub fn waiting(&self) -> bool {
        self.rx.as_ref().is_some_and(|rx| !rx.is_empty())
    }

    /// Records that the books of `symbol` saw its price of `at`: older ticks still on the tape
    /// are left out (they would run the books backwards).
    pub fn saw(&mut self, symbol: &str, at: DateTime<Utc>) {
        match self.fed.get_mut(symbol) {
            Some(f) => *f = (*f).max(at),
            None => _ = self.fed.insert(symbol.to_owned(), at),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use brokercrm_engine::Price;
    use chrono::TimeZone;

    use super::*;
    use crate::platform::after_commit::Bus;

    fn tick(symbol: &str, s: i64) -> Tick {
        let at = Utc.timestamp_opt(1_800_000_000 + s, 0).unwrap();
        Tick { symbol: symbol.into(), bid: Price::from_minor(s), ask: Price::from_minor(s), at }
    }

    #[test]
    fn the_tape_gives_each_tick_once_in_order_and_never_one_older_than_what_was_seen() {
        let bus = Bus::default();
        let mut tape = Tape { rx: Some(bus.subscribe::<TicksStored>()), fed: HashMap::new() };
        bus.send(TicksStored { ticks: vec![tick("EURUSD", 1), tick("EURUSD", 2)] });
        bus.send(TicksStored { ticks: vec![tick("GBPUSD", 1), tick("EURUSD", 3)] });
        let got: Vec<(String, i64)> =
            tape.drain().into_iter().map(|t| (t.symbol, t.bid.minor())).collect();
        assert_eq!(
            got,
            [
                ("EURUSD".into(), 1),
                ("EURUSD".into(), 2),
                ("GBPUSD".into(), 1),
                ("EURUSD".into(), 3)
            ]
        );
        assert!(tape.drain().is_empty(), "each tick once");

        tape.saw("EURUSD", tick("EURUSD", 5).at);
        bus.send(TicksStored { ticks: vec![tick("EURUSD", 4), tick("EURUSD", 6)] });
        let got: Vec<i64> = tape.drain().into_iter().map(|t| t.bid.minor()).collect();
        assert_eq!(got, [6], "a tick older than the quote the books saw is left out");

        tape.stop();
        bus.send(TicksStored { ticks: vec![tick("EURUSD", 7)] });
        assert!(tape.drain().is_empty(), "not listening");
    }
}
