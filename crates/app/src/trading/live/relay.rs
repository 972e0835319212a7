//! The live relay: one task per process that follows what any instance committed (the stored
//! quotes, the positions' rows and the ledger's transfers) and announces it on this process's
//! bus, so a client connected here hears of a tick pushed to another instance, a trade made
//! or closed there (or by the trigger evaluator of the lease holder), and of money moved on
//! its wallets anywhere (a deposit, a withdrawal, a transfer, a swap charge: no use case
//! announces those itself). It reads only while a client stream is open in this process.
//!
//! Each read takes what was stored since the last one, less [`OVERLAP`]: a row is stamped
//! before its transaction commits, so one committed late (or by an instance whose clock runs
//! behind) still falls inside the next window; what a window read before is recognised (a
//! position by its version, a transfer by its row) and not announced twice. A row committed
//! more than `OVERLAP` after its stamp is not relayed; the REST API has it, and the wallet's
//! next change sends its figures. Copies of what this process announced itself are dropped
//! by the streams (a quote no newer than the one sent, a position at a version sent).

use std::collections::{HashMap, HashSet};
use std::time::Duration;

use brokercrm_core::Result;
use brokercrm_engine::Price;
use brokercrm_store::db;
use brokercrm_store::repo::money::ledger::{accounts, transfers};
use brokercrm_store::repo::money::wallets;
use brokercrm_store::repo::trading::{positions, prices};
use chrono::{DateTime, Utc};
use tokio::sync::broadcast::Receiver;
use tokio::sync::broadcast::error::TryRecvError;
use tokio::task::JoinHandle;

use crate::App;
use crate::context::WeakApp;
use crate::trading::events::{TradeChanged, WalletMoved};
use crate::trading::prices::{QuotesStored, Tick};

/// How often the relay reads.
pub const EVERY: Duration = Duration::from_millis(100);

/// How far each read reaches back before the previous one.
pub const OVERLAP: chrono::Duration = chrono::Duration::seconds(2);

/// Most rows of one table a read takes (more wait for the next read).
const PER_READ: u64 = 5_000;

/// Ledger accounts whose owner the relay remembers before it forgets them all.
const OWNERS: usize = 100_000;

/// Starts the relay of the application `app` refers to; it ends when the application does.
pub(crate) fn spawn(app: WeakApp) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut relay = Relay::default();
        let Some(first) = app.upgrade() else { return };
        let mut local = first.bus().subscribe::<QuotesStored>();
        drop(first);
        loop {
            tokio::time::sleep(EVERY).await;
            let Some(app) = app.upgrade() else { return };
            relay.heard(&mut local);
            if app.bus().listeners::<WalletMoved>() == 0 {
                relay.idle();
                continue;
            }
            if let Err(e) = relay.read(&app).await {
                tracing::warn!(error = ?e, "live relay: cannot read");
            }
        }
    })
}

/// A table followed by its rows' stamps: since when, and each row seen in the overlap with
/// its mark (a position's version; a transfer's rows never change) and stamp.
#[derive(Default)]
struct Cursor {
    since: Option<DateTime<Utc>>,
    seen: HashMap<i64, (i64, DateTime<Utc>)>,
}

impl Cursor {
    /// Where the next read starts, and when it started.
    fn window(&self) -> (DateTime<Utc>, DateTime<Utc>) {
        let started = db::now();
        (self.since.unwrap_or(started) - OVERLAP, started)
    }

    /// Takes a read of `rows` (`(id, mark, stamp)`, oldest first) made from `from` at
    /// `started`; answers which are new. The first read only marks where to start.
    fn advance(
        &mut self,
        (from, started): (DateTime<Utc>, DateTime<Utc>),
        rows: impl IntoIterator<Item = (i64, i64, DateTime<Utc>)>,
    ) -> HashSet<i64> {
        let first = self.since.is_none();
        let mut last = None;
        let mut count = 0;
        let mut new = HashSet::new();
        for (id, mark, at) in rows {
            count += 1;
            last = Some(at);
            if self.seen.get(&id).is_none_or(|&(m, _)| m < mark) {
                self.seen.insert(id, (mark, at));
                if !first {
                    new.insert(id);
                }
            }
        }
        // A full read continues from its last row; otherwise from when it began.
        self.since = match last {
            Some(at) if count == PER_READ => Some(at),
            _ => Some(started),
        };
        self.seen.retain(|_, (_, at)| *at >= from - OVERLAP);
        new
    }

    fn reset(&mut self) {
        self.since = None;
        self.seen.clear();
    }
}

#[derive(Default)]
struct Relay {
    /// Per symbol the newest quote announced here, by anyone.
    quotes: HashMap<String, DateTime<Utc>>,
    /// Whether the stored quotes were read once (the first read only notes them).
    primed: bool,
    positions: Cursor,
    transfers: Cursor,
    /// Ledger account → (wallet, owner); `None` for a house account.
    owners: HashMap<i64, Option<(i64, i64)>>,
}

impl Relay {
    /// Notes the quotes this process announced itself.
    fn heard(&mut self, local: &mut Receiver<std::sync::Arc<QuotesStored>>) {
        loop {
            match local.try_recv() {
                Ok(batch) => {
                    for t in &batch.quotes {
                        self.newer(&t.symbol, t.at);
                    }
                }
                // Missed: the next read finds them stored, and the streams drop copies.
                Err(TryRecvError::Lagged(_)) => {}
                Err(_) => return,
            }
        }
    }

    /// Whether `at` is newer than the newest quote of `symbol` known (and notes it).
    fn newer(&mut self, symbol: &str, at: DateTime<Utc>) -> bool {
        match self.quotes.get_mut(symbol) {
            Some(newest) if *newest >= at => false,
            Some(newest) => {
                *newest = at;
                true
            }
            None => {
                self.quotes.insert(symbol.to_owned(), at);
                true
            }
        }
    }

    /// No client stream is open: start afresh when one opens.
    fn idle(&mut self) {
        self.positions.reset();
        self.transfers.reset();
    }

    async fn read(&mut self, app: &App) -> Result<()> {
        let conn = app.db().conn();
        let first = !std::mem::replace(&mut self.primed, true);
        let mut moved = Vec::new();
        for q in prices::quotes(conn).await? {
            if self.newer(&q.symbol, q.quoted_at) && !first {
                let (bid, ask) = (Price::from_minor(q.bid), Price::from_minor(q.ask));
                moved.push(Tick { symbol: q.symbol, bid, ask, at: q.quoted_at });
            }
        }
        if !moved.is_empty() {
            app.bus().send(QuotesStored { quotes: moved });
        }

        let window = self.positions.window();
        let rows = positions::changed_since(conn, window.0, PER_READ).await?;
        let marks = rows.iter().map(|c| (c.id, c.version, c.updated_at));
        let new = self.positions.advance(window, marks);
        for c in rows.iter().filter(|c| new.contains(&c.id)) {
            app.bus().send(TradeChanged {
                user_id: c.user_id,
                wallet_id: c.wallet_id,
                position_id: c.id,
                seen: Some(c.version),
            });
        }

        let window = self.transfers.window();
        let rows = transfers::since(conn, window.0, PER_READ).await?;
        let new = self.transfers.advance(window, rows.iter().map(|&(id, at, _, _)| (id, 0, at)));
        let touched: Vec<i64> = rows
            .iter()
            .filter(|(id, ..)| new.contains(id))
            .flat_map(|&(_, _, debit, credit)| [debit, credit])
            .collect();
        let mut wallets_moved: Vec<(i64, i64)> =
            self.owners_of(app, &touched).await?.into_iter().collect();
        wallets_moved.sort_unstable();
        wallets_moved.dedup();
        for (wallet_id, user_id) in wallets_moved {
            app.bus().send(WalletMoved { user_id, wallet_id });
        }
        Ok(())
    }

    /// The (wallet, owner) of each wallet account among `ids` (house accounts have none).
    async fn owners_of(&mut self, app: &App, ids: &[i64]) -> Result<Vec<(i64, i64)>> {
        let conn = app.db().conn();
        let mut unknown: Vec<i64> =
            ids.iter().copied().filter(|id| !self.owners.contains_key(id)).collect();
        unknown.sort_unstable();
        unknown.dedup();
        if !unknown.is_empty() {
            if self.owners.len() + unknown.len() > OWNERS {
                self.owners.clear();
            }
            let found = accounts::wallet_accounts_among(conn, &unknown).await?;
            let wallet_ids: Vec<i64> = found.iter().filter_map(|a| a.wallet_id).collect();
            let users: HashMap<i64, i64> = wallets::find_many(conn, &wallet_ids)
                .await?
                .into_iter()
                .map(|w| (w.id, w.user_id))
                .collect();
            for id in unknown {
                let owner = found
                    .iter()
                    .find(|a| a.id == id)
                    .and_then(|a| a.wallet_id)
                    .and_then(|w| users.get(&w).map(|u| (w, *u)));
                self.owners.insert(id, owner);
            }
        }
        Ok(ids.iter().filter_map(|id| self.owners.get(id).copied().flatten()).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(ms: i64) -> DateTime<Utc> {
        DateTime::from_timestamp_millis(1_700_000_000_000 + ms).unwrap_or_default()
    }

    fn sorted(set: HashSet<i64>) -> Vec<i64> {
        let mut v: Vec<i64> = set.into_iter().collect();
        v.sort_unstable();
        v
    }

    #[test]
    fn a_window_read_again_announces_each_row_and_version_once() {
        let mut c = Cursor::default();
        // The first read only marks where to start.
        assert!(c.advance((at(0), at(100)), [(1, 1, at(50))]).is_empty());
        assert_eq!(c.since, Some(at(100)));
        // The overlap brings row 1 again, and two new rows; one of them committed late
        // (stamped before the previous read began).
        let new = c.advance(
            (at(100) - OVERLAP, at(200)),
            [(1, 1, at(50)), (2, 1, at(90)), (3, 1, at(150))],
        );
        assert_eq!(sorted(new), [2, 3]);
        // Row 1 at a new version is new again; the others are not.
        let new = c.advance(
            (at(200) - OVERLAP, at(300)),
            [(1, 2, at(250)), (2, 1, at(90)), (3, 1, at(150))],
        );
        assert_eq!(sorted(new), [1]);
        // What falls out of the overlap is forgotten.
        let late = at(300) + OVERLAP * 3;
        assert!(c.advance((late - OVERLAP, late), []).is_empty());
        assert!(c.seen.is_empty(), "{:?}", c.seen);
        c.reset();
        assert_eq!(c.since, None);
    }

    #[test]
    fn a_full_read_continues_from_its_last_row() {
        let mut c = Cursor { since: Some(at(0)), seen: HashMap::new() };
        let rows: Vec<(i64, i64, DateTime<Utc>)> =
            (0..PER_READ).map(|i| (i64::try_from(i).unwrap_or_default(), 0, at(10))).collect();
        let new = c.advance((at(0) - OVERLAP, at(500)), rows);
        assert_eq!(new.len() as u64, PER_READ);
        assert_eq!(c.since, Some(at(10)), "not from when the read began: rows may be left");
    }

    #[test]
    fn a_quote_is_newer_only_once() {
        let mut r = Relay::default();
        assert!(r.newer("EURUSD", at(1)));
        assert!(!r.newer("EURUSD", at(1)));
        assert!(!r.newer("EURUSD", at(0)));
        assert!(r.newer("EURUSD", at(2)));
        assert!(r.newer("GBPUSD", at(0)));
    }
}
