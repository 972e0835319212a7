//! One connection's inbox: what waits to be sent while the client reads slowly. Quotes are
//! kept per symbol, the latest only (a newer one replaces the one not yet sent; one no newer
//! than the newest already put, such as the relay's copy of a local tick, is dropped), and
//! changes per position and wallet, once each; so the inbox never holds more than one quote
//! per subscribed symbol plus the client's own positions and wallets, however slow the client.

use std::collections::{BTreeMap, HashMap};
use std::sync::Mutex;

use chrono::{DateTime, Utc};
use tokio::sync::Notify;

/// A quote as the client sees it: prices at the instrument's decimals, its group's markup
/// applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quote {
    pub symbol: String,
    pub bid: String,
    pub ask: String,
    /// When the price was quoted at its source.
    pub time: DateTime<Utc>,
}

/// A position to send: its wallet, and the version the relay saw (`None`: announced by the
/// transaction that changed it here, so it is read back and sent whatever was sent before).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Changed {
    pub position: i64,
    pub wallet: i64,
    pub seen: Option<i64>,
}

/// What the inbox held when it was taken.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Batch {
    /// Per symbol the latest quote, by symbol.
    pub quotes: Vec<Quote>,
    /// Positions that changed, by id.
    pub positions: Vec<Changed>,
    /// Wallets whose figures may have changed, by id, each with whether it must be sent even
    /// when its figures equal the last ones sent (a trade or a lag: yes; money moved: no).
    pub wallets: Vec<(i64, bool)>,
    /// Changes were missed (this process fell behind): the client should read its positions
    /// again.
    pub lagged: bool,
}

impl Batch {
    pub fn is_empty(&self) -> bool {
        self.quotes.is_empty()
            && self.positions.is_empty()
            && self.wallets.is_empty()
            && !self.lagged
    }
}

#[derive(Default)]
struct State {
    quotes: BTreeMap<String, Quote>,
    /// Per symbol the time of the newest quote put (sent or not).
    newest: HashMap<String, DateTime<Utc>>,
    positions: BTreeMap<i64, Changed>,
    wallets: BTreeMap<i64, bool>,
    lagged: bool,
    /// Quotes replaced before they were sent.
    replaced: u64,
}

/// The inbox of one connection.
#[derive(Default)]
pub struct Inbox {
    state: Mutex<State>,
    ready: Notify,
}

impl Inbox {
    fn with<R>(&self, f: impl FnOnce(&mut State) -> R) -> R {
        let mut s = self.state.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        f(&mut s)
    }

    /// Keeps `q` as its symbol's quote to send (replacing an unsent older one). A quote older
    /// than the newest put is ignored (counted as replaced); one as new is the same quote
    /// again and is dropped.
    pub fn put_quote(&self, q: Quote) {
        let put = self.with(|s| match s.newest.get(&q.symbol) {
            Some(newest) if *newest > q.time => {
                s.replaced += 1;
                false
            }
            Some(newest) if *newest == q.time => false,
            _ => {
                s.newest.insert(q.symbol.clone(), q.time);
                if s.quotes.insert(q.symbol.clone(), q).is_some() {
                    s.replaced += 1;
                }
                true
            }
        });
        if put {
            self.ready.notify_one();
        }
    }

    /// Forgets the unsent quote of `symbol` and its newest time (after an unsubscribe).
    pub fn forget(&self, symbol: &str) {
        self.with(|s| {
            s.quotes.remove(symbol);
            s.newest.remove(symbol);
        });
    }

    /// Notes that position `position` of wallet `wallet` changed; `seen` is the version the
    /// relay saw, `None` when the committing transaction announced it.
    pub fn put_change(&self, position: i64, wallet: i64, seen: Option<i64>) {
        self.with(|s| {
            let c = s.positions.entry(position).or_insert(Changed { position, wallet, seen });
            c.seen = match (c.seen, seen) {
                (Some(a), Some(b)) => Some(a.max(b)),
                _ => None,
            };
        });
        self.ready.notify_one();
    }

    /// Notes that money moved on `wallet` (its figures are sent if they differ from the last
    /// ones sent).
    pub fn put_wallet(&self, wallet: i64) {
        self.with(|s| _ = s.wallets.entry(wallet).or_insert(false));
        self.ready.notify_one();
    }

    /// Notes that changes were missed; `wallets` are to be sent again.
    pub fn put_lagged(&self, wallets: &[i64]) {
        self.with(|s| {
            s.lagged = true;
            for w in wallets {
                s.wallets.insert(*w, true);
            }
        });
        self.ready.notify_one();
    }

    /// How many quotes were replaced before they were sent.
    pub fn replaced(&self) -> u64 {
        self.with(|s| s.replaced)
    }

    /// Takes everything waiting (possibly nothing).
    pub fn take(&self) -> Batch {
        self.with(|s| Batch {
            quotes: std::mem::take(&mut s.quotes).into_values().collect(),
            positions: std::mem::take(&mut s.positions).into_values().collect(),
            wallets: std::mem::take(&mut s.wallets).into_iter().collect(),
            lagged: std::mem::take(&mut s.lagged),
        })
    }

    /// Whether nothing waits.
    pub fn is_empty(&self) -> bool {
        self.with(|s| {
            s.quotes.is_empty() && s.positions.is_empty() && s.wallets.is_empty() && !s.lagged
        })
    }

    /// Waits until something is there (takes nothing: safe to cancel).
    pub async fn ready(&self) {
        while self.is_empty() {
            self.ready.notified().await;
        }
    }

    /// Waits until something is there, then takes it.
    pub async fn next(&self) -> Batch {
        loop {
            self.ready().await;
            let b = self.take();
            if !b.is_empty() {
                return b;
            }
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn quote(symbol: &str, bid: u32, secs: i64) -> Quote {
        Quote {
            symbol: symbol.into(),
            bid: format!("1.{bid:05}"),
            ask: format!("1.{:05}", bid + 2),
            time: DateTime::from_timestamp(1_700_000_000 + secs, 0).unwrap(),
        }
    }

    #[test]
    fn a_slow_client_gets_only_the_latest_quote_per_symbol() {
        let inbox = Inbox::default();
        for i in 0..10_000 {
            inbox.put_quote(quote("EURUSD", 8500 + i % 50, i64::from(i)));
            inbox.put_quote(quote("GBPUSD", 2700 + i % 50, i64::from(i)));
        }
        // An older quote arriving late does not replace the newer one kept.
        inbox.put_quote(quote("EURUSD", 1, 0));
        let b = inbox.take();
        assert_eq!(
            b.quotes,
            [quote("EURUSD", 8500 + 9_999 % 50, 9_999), quote("GBPUSD", 2700 + 9_999 % 50, 9_999)]
        );
        assert_eq!(inbox.replaced(), 2 * 9_999 + 1);
        assert!(inbox.take().is_empty(), "taken once");
    }

    #[test]
    fn changes_are_kept_once_each_and_unsubscribed_quotes_dropped() {
        let inbox = Inbox::default();
        let change = |position, wallet, seen| Changed { position, wallet, seen };
        inbox.put_change(7, 1, Some(4));
        inbox.put_change(7, 1, Some(5));
        inbox.put_change(3, 2, Some(2));
        inbox.put_change(3, 2, None);
        inbox.put_wallet(9);
        inbox.put_wallet(9);
        inbox.put_quote(quote("EURUSD", 8500, 1));
        inbox.forget("EURUSD");
        let b = inbox.take();
        // The committing transaction's announcement (no version) wins over the relay's.
        assert_eq!(b.positions, [change(3, 2, None), change(7, 1, Some(5))]);
        assert_eq!(b.wallets, [(9, false)]);
        assert!(b.quotes.is_empty() && !b.lagged);
        inbox.put_wallet(5);
        inbox.put_lagged(&[5]);
        let b = inbox.take();
        assert!(b.lagged);
        assert_eq!(b.wallets, [(5, true)]);
        // Forgotten, the symbol's stored quote is put again on the next subscribe.
        inbox.put_quote(quote("EURUSD", 8500, 1));
        assert_eq!(inbox.take().quotes.len(), 1);
    }

    #[test]
    fn the_same_quote_twice_is_sent_once() {
        let inbox = Inbox::default();
        inbox.put_quote(quote("EURUSD", 8500, 1));
        assert_eq!(inbox.take().quotes, [quote("EURUSD", 8500, 1)]);
        // The relay's copy of a tick this process announced already.
        inbox.put_quote(quote("EURUSD", 8500, 1));
        assert!(inbox.is_empty());
        assert_eq!(inbox.replaced(), 0);
        inbox.put_quote(quote("EURUSD", 8501, 2));
        assert_eq!(inbox.take().quotes, [quote("EURUSD", 8501, 2)]);
    }

    #[tokio::test]
    async fn next_waits_for_something_to_send() {
        let inbox = std::sync::Arc::new(Inbox::default());
        let waiting = tokio::spawn({
            let inbox = inbox.clone();
            async move { inbox.next().await }
        });
        tokio::task::yield_now().await;
        assert!(!waiting.is_finished());
        inbox.put_quote(quote("EURUSD", 8500, 1));
        let b = tokio::time::timeout(std::time::Duration::from_secs(5), waiting)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(b.quotes.len(), 1);
    }
}
