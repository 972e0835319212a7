//! The tick tape: every tick this process committed (`prices::TicksStored`), in order, for the
//! evaluator to run through its books one by one. A pass reads only the latest quote of each
//! symbol from the database; between two passes a thousand ticks may arrive, and a stop that
//! one of them touched must fire even when the price moved back before the pass (at the price
//! that touched it, as a platform that sees every tick would).
//!
//! Ticks stored by another instance do not come through here (the bus is per process): for
//! those the latest quote stands in, as it does for ticks lost when the evaluator falls more
//! than `after_commit::CAPACITY` batches behind. A latest quote newer than the tape is held
//! back one pass ([`Tape::latest`]): it is most likely a tick of ours whose notice follows its
//! commit, and taking it first would leave out the ticks before it (a stop one of them
//! touched would wait until the price came back).

use std::collections::HashMap;
use std::sync::Arc;

use brokercrm_engine::Price;
use chrono::{DateTime, Utc};
use tokio::sync::broadcast::Receiver;
use tokio::sync::broadcast::error::TryRecvError;

use crate::App;
use crate::trading::prices::{Tick, TicksStored};

/// The newest price the books of a symbol saw: when it was quoted, bid and ask.
type Seen = (DateTime<Utc>, Price, Price);

/// The evaluator's subscription and, per symbol, the newest price its books saw and a latest
/// quote held back.
#[derive(Default)]
pub struct Tape {
    rx: Option<Receiver<Arc<TicksStored>>>,
    fed: HashMap<String, Seen>,
    held: HashMap<String, DateTime<Utc>>,
}

impl Tape {
    /// Starts listening (a new lease term: the books are rebuilt from the database, and only
    /// ticks committed from now on matter).
    pub fn listen(&mut self, app: &App) {
        self.rx = Some(app.bus().subscribe::<TicksStored>());
        self.fed.clear();
        self.held.clear();
    }

    /// Stops listening (the lease is lost).
    pub fn stop(&mut self) {
        self.rx = None;
        self.fed.clear();
        self.held.clear();
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
                        if self.fed.get(&t.symbol).is_none_or(|f| t.at > f.0) {
                            self.fed.insert(t.symbol.clone(), (t.at, t.bid, t.ask));
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

    /// The price to run the books of `symbol` on after reading its latest stored quote
    /// (`bid`, `ask`, quoted `at`), so that positions just loaded meet the current price: the
    /// quote itself when the tape has brought nothing newer and nothing older is still to come;
    /// else the newest price the books saw (running them on an older one would run them
    /// backwards). A quote newer than the tape is taken only when the one held back on the pass
    /// before has not come through the tape since (another instance stored it, or the tape
    /// lagged).
    pub fn latest(
        &mut self,
        symbol: &str,
        bid: Price,
        ask: Price,
        at: DateTime<Utc>,
    ) -> (Price, Price) {
        let take = |tape: &mut Self| {
            tape.held.remove(symbol);
            tape.fed.insert(symbol.to_owned(), (at, bid, ask));
            (bid, ask)
        };
        let Some((seen, b, a)) = self.fed.get(symbol).copied() else { return take(self) };
        if at <= seen {
            return (b, a);
        }
        // Held on the pass before and still not brought by the tape: it will not be.
        if self.rx.is_none() || self.held.get(symbol).is_some_and(|h| *h > seen) {
            return take(self);
        }
        self.held.insert(symbol.to_owned(), at);
        (b, a)
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
        let mut tape = Tape { rx: Some(bus.subscribe::<TicksStored>()), ..Tape::default() };
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

        let five = tick("EURUSD", 5);
        let held = tape.latest("EURUSD", five.bid, five.ask, five.at);
        assert_eq!(held.0.minor(), 3, "a newer quote is held back a pass");
        bus.send(TicksStored { ticks: vec![tick("EURUSD", 4), five.clone()] });
        let got: Vec<i64> = tape.drain().into_iter().map(|t| t.bid.minor()).collect();
        assert_eq!(got, [4, 5], "the ticks before it still come through");
        let again = tape.latest("EURUSD", five.bid, five.ask, five.at);
        assert_eq!(again.0.minor(), 5, "the same quote runs again");
        let older = tick("EURUSD", 2);
        let got = tape.latest("EURUSD", older.bid, older.ask, older.at);
        assert_eq!(got.0.minor(), 5, "never an older price");

        let (seven, eight) = (tick("EURUSD", 7), tick("EURUSD", 8));
        assert_eq!(tape.latest("EURUSD", seven.bid, seven.ask, seven.at).0.minor(), 5);
        let got = tape.latest("EURUSD", eight.bid, eight.ask, eight.at);
        assert_eq!(got.0.minor(), 8, "not on the tape: taken a pass later");
        bus.send(TicksStored { ticks: vec![tick("EURUSD", 6)] });
        assert!(tape.drain().is_empty(), "a tick older than the quote the books saw is left out");

        let jpy = tick("USDJPY", 9);
        let got = tape.latest("USDJPY", jpy.bid, jpy.ask, jpy.at);
        assert_eq!(got.0.minor(), 9, "a symbol the tape never brought");

        tape.stop();
        bus.send(TicksStored { ticks: vec![tick("EURUSD", 7)] });
        assert!(tape.drain().is_empty(), "not listening");
    }
}
