//! The evaluator: the lease and one pass (which also closes the NEO positions whose duration
//! ran out); its steps in `follow` (the books' rebuild and change following), `firing` (ticks
//! through the books, closes and fills) and `stopouts` (screening, trailing levels).
//!
//! Changes are read from the database, not pushed: every pass reads the positions whose row
//! changed since the previous pass (minus [`NEAR_OVERLAP`], and once every [`DEEP_EVERY`]
//! minus [`OVERLAP`], for transactions that commit after a later one) and loads the ones newer
//! than the books' version. So an order placed or a stop
//! moved on any instance reaches the books within a pass, and a new lease holder starts from
//! the database alone.

mod firing;
mod follow;
mod stopouts;

use std::collections::{HashMap, HashSet};
use std::time::Duration;

use brokercrm_core::Result;
use brokercrm_core::trading::instruments::InstrumentStatus;
use brokercrm_core::trading::positions::{CloseReason, Side as WireSide};
use brokercrm_engine::{Price, fixed};
use brokercrm_store::repo::money::groups;
use brokercrm_store::repo::trading::{instruments, leases, positions, prices};
use chrono::{DateTime, Utc};
use tokio::sync::watch;

use super::books::Books;
use super::fire::{self, Outcome};
use super::tape::Tape;
use crate::App;
use crate::trading::downtimes::down_at;
use crate::trading::instruments::view::spec_of;
use crate::trading::positions::figures::close_price;
use crate::trading::positions::market::Markups;
use crate::trading::positions::open::leg_side;

/// The lease's name and how long a holder keeps it without renewing.
pub const LEASE: &str = "trading.triggers";
const LEASE_FOR: chrono::Duration = chrono::Duration::seconds(10);
/// How far back a pass reads changed positions again once every [`DEEP_EVERY`] (a
/// transaction committing this long after its stamp is still followed)...
const OVERLAP: chrono::Duration = chrono::Duration::seconds(5);
const DEEP_EVERY: Duration = Duration::from_secs(1);
/// ...and every other pass: re-reading five seconds of changes on every pass cost each pass
/// 3-7 ms on SQLite while the evaluator's own closes filled them.
const NEAR_OVERLAP: chrono::Duration = chrono::Duration::milliseconds(250);
/// How often every wallet holding open positions is screened for stop-out, beside the
/// wallets whose thresholds fired or whose positions changed.
const SWEEP_EVERY: Duration = Duration::from_secs(5);
/// A sweep is spread over at most this many passes (a pass runs at least every 100 ms, so a
/// sweep ends within [`SWEEP_EVERY`]); a pass takes more of it while the wallets it takes
/// hold fewer than [`SCREEN_BUDGET`] open positions together.
const SWEEP_SHARES: usize = 50;
/// Open positions the wallets screened for upkeep in one pass (swept, or re-keyed after the
/// evaluator's closes) may hold together, beyond the share above: the screen reads every one
/// of them, and the next ticks' closes wait for the pass (a 64-wallet share of 100-position
/// wallets took 50-150 ms on SQLite). Wallets whose threshold fired are screened at once,
/// whatever they hold.
const SCREEN_BUDGET: usize = 300;
/// How long the upkeep screens (the sweep's share and the closes' wallets) may wait while
/// ticks are waiting on the tape: those ticks' closes go first (an upkeep screen of 300
/// positions took 10-20 ms on SQLite, which every waiting close paid).
const UPKEEP_YIELDS: Duration = Duration::from_millis(50);
/// How often the wallets of the evaluator's own closes are screened again at most.
const REKEY_EVERY: Duration = Duration::from_millis(250);
/// How often the trailing stops' moved levels are written back.
const TRAILED_EVERY: Duration = Duration::from_secs(1);
/// A pass taking this long logs its steps' times (debug).
const SLOW_PASS: Duration = Duration::from_millis(20);
/// Positions read whole per statement (an `IN` list well under every database's limit).
const READ_CHUNK: usize = 1_000;
/// Changed positions read in one pass at most (the rest on the next).
const CHANGES_PER_PASS: u64 = 10_000;

/// What one pass did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Pass {
    /// Whether this process held the lease (else it did nothing).
    pub leader: bool,
    /// Whether the books were rebuilt from the database (start or takeover).
    pub rebuilt: bool,
    /// Positions closed by SL/TP/trailing, pending orders filled, cancelled (no margin),
    /// positions closed by stop-out, and margin calls published.
    pub closed: Vec<i64>,
    /// When each of `closed` was committed (a measurement's end; same order).
    pub closed_at: Vec<std::time::Instant>,
    pub filled: Vec<i64>,
    pub cancelled: Vec<i64>,
    pub stopped_out: Vec<i64>,
    pub margin_calls: Vec<i64>,
    /// Positions closed because their duration ran out (NEO, reason DURATION).
    pub expired: Vec<i64>,
}

/// One evaluating process's state.
pub struct Evaluator {
    holder: String,
    epoch: Option<i64>,
    books: Books,
    since: Option<DateTime<Utc>>,
    /// Positions to read again (a commit found them moved, or failed).
    reread: HashSet<i64>,
    /// Wallets to screen for stop-out on this pass (their positions changed, their threshold
    /// fired, or their symbol's spread outgrew the thresholds' allowance).
    dirty: HashSet<i64>,
    /// Wallets whose positions this evaluator closed: a close at the market only raises the
    /// margin level, so they are screened (their thresholds re-keyed) at most every
    /// [`REKEY_EVERY`], not in the pass of the close, where the screen would hold back the
    /// next ticks' closes.
    rekey: HashSet<i64>,
    rekeyed: Option<std::time::Instant>,
    /// When the trailing stops' levels were last written back.
    trailed: Option<std::time::Instant>,
    /// When this process last took or renewed the lease.
    renewed: Option<DateTime<Utc>>,
    /// When the sweep of every wallet holding open positions last began, the wallets waiting
    /// for an upkeep screen (the evaluator's closes' wallets first, then the sweep's), and how
    /// many of them each pass takes at least (0: none swept since a rebuild).
    swept: Option<std::time::Instant>,
    sweep: Vec<i64>,
    sweep_share: usize,
    /// When an upkeep screen last ran (see [`UPKEEP_YIELDS`]).
    upkept: Option<std::time::Instant>,
    /// When changed positions were last read [`OVERLAP`] back.
    deep_followed: Option<std::time::Instant>,
    /// Wallets at or below their margin-call level (notified once per fall).
    called: HashSet<i64>,
    /// The trading groups' markups (by group id) and their stored text: a change rebuilds
    /// the books, whose levels carry the markups.
    markups: HashMap<i64, Markups>,
    markups_text: Vec<(i64, String)>,
    /// Each wallet's trading group, read once per rebuild.
    wallet_groups: HashMap<i64, Option<i64>>,
    /// The ticks this process committed since the last pass.
    tape: Tape,
    /// Positions seen closed or cancelled (or being closed), at which version and when (kept
    /// for the overlap).
    settled: HashMap<i64, (i64, DateTime<Utc>)>,
    /// Close batches committing while the pass goes on, with their positions' ids.
    in_flight: Vec<(Vec<i64>, InFlight)>,
}

/// A close batch's task: each position's outcome and when the batch committed.
type InFlight = tokio::task::JoinHandle<(Vec<(i64, Result<Outcome>)>, std::time::Instant)>;

struct Symbol {
    tick: i64,
    open: bool,
}

impl Evaluator {
    /// An evaluator for the process `holder` (unique per process).
    pub fn new(holder: impl Into<String>) -> Self {
        Self {
            holder: holder.into(),
            epoch: None,
            books: Books::default(),
            since: None,
            reread: HashSet::new(),
            dirty: HashSet::new(),
            rekey: HashSet::new(),
            rekeyed: None,
            swept: None,
            sweep: Vec::new(),
            sweep_share: 0,
            upkept: None,
            deep_followed: None,
            renewed: None,
            trailed: None,
            called: HashSet::new(),
            markups: HashMap::new(),
            markups_text: Vec::new(),
            wallet_groups: HashMap::new(),
            tape: Tape::default(),
            settled: HashMap::new(),
            in_flight: Vec::new(),
        }
    }

    /// Entries in the books (0 when not the leader).
    pub fn book_entries(&self) -> usize {
        self.books.len()
    }

    /// Gives the lease up (a clean shutdown).
    pub async fn release(&mut self, app: &App) -> Result<()> {
        self.epoch = None;
        self.books.clear();
        self.tape.stop();
        leases::release(app.db().conn(), LEASE, &self.holder, app.clock().now()).await
    }

    /// Takes or renews the lease, follows the database, and fires what is due.
    pub async fn pass(&mut self, app: &App) -> Result<Pass> {
        let began = std::time::Instant::now();
        let mut laps: Vec<(&str, u128)> = Vec::new();
        let mut lap = |name| laps.push((name, began.elapsed().as_micros()));
        let now = app.clock().now();
        let conn = app.db().conn();
        // The lease is renewed once half its term has passed, not on every pass (a pass
        // follows every tick committed here).
        let fresh = self.renewed.is_some_and(|r| now < r + LEASE_FOR / 2 && now >= r);
        let epoch = match self.epoch {
            Some(e) if fresh => Some(e),
            _ => {
                let e = leases::acquire(conn, LEASE, &self.holder, now, now + LEASE_FOR).await?;
                self.renewed = e.map(|_| now);
                e
            }
        };
        let mut out = Pass { leader: epoch.is_some(), ..Pass::default() };
        let Some(epoch) = epoch else {
            if self.epoch.take().is_some() {
                tracing::warn!(holder = %self.holder, "trigger evaluator: lease lost");
            }
            self.books.clear();
            self.tape.stop();
            return Ok(out);
        };
        let symbols = self.symbols(app, now).await?;
        let text: Vec<(i64, String)> =
            groups::list(conn).await?.into_iter().map(|g| (g.id, g.markups)).collect();
        if text != self.markups_text {
            self.markups = text.iter().map(|(id, t)| (*id, Markups::parse(t))).collect();
            self.markups_text = text;
            self.epoch = None; // the books' levels carry the markups: rebuild
        }
        lap("setup");
        let mut closes = Vec::new();
        let quotes = if self.epoch != Some(epoch) {
            self.tape.listen(app); // before the rebuild reads: later ticks come through
            let quotes = latest(app).await?;
            self.rebuild(app, &symbols, &quotes).await?;
            self.epoch = Some(epoch);
            out.rebuilt = true;
            quotes
        } else {
            // The ticks committed since the last pass first, through the books as they stand;
            // their closes commit while the changes are read.
            self.feed(app, &symbols, &mut closes, &mut out).await;
            lap("fed");
            self.dispatch(app, std::mem::take(&mut closes));
            let changed = self.follow(app).await?;
            lap("followed");
            // Ticks committed while the changes were read run before the changed rows load:
            // they may be older than a position opened meanwhile.
            self.feed(app, &symbols, &mut closes, &mut out).await;
            let quotes = latest(app).await?;
            for (p, kind) in changed {
                self.load(app, &p, kind, &symbols, &quotes).await;
            }
            quotes
        };
        // The latest quote of each symbol, read after every row loaded: for what was just
        // loaded, and for ticks the tape did not bring (stored by another instance).
        let names: Vec<String> = self.books.books.keys().cloned().collect();
        // Ticks of ours committed before that read are on the tape by now: first those.
        self.feed(app, &symbols, &mut closes, &mut out).await;
        for symbol in names {
            let Some(&(bid, ask, at)) = quotes.get(&symbol) else { continue };
            if symbols.get(&symbol).is_some_and(|s| s.open) {
                let (bid, ask) = self.tape.latest(&symbol, bid, ask, at);
                self.on_tick(app, &symbol, bid, ask, &mut closes, &mut out).await;
            }
        }
        lap("loaded");
        self.dispatch(app, std::mem::take(&mut closes));
        self.expire(app, now, &symbols, &quotes, &mut out).await?;
        lap("expired");
        self.stop_outs(app, &symbols, &mut out).await?;
        lap("screened");
        // What ticked during the screen, before waiting for the batches.
        self.feed(app, &symbols, &mut closes, &mut out).await;
        self.dispatch(app, closes);
        self.settle_closes(&mut out).await;
        lap("closed");
        self.write_trailing(app).await?;
        lap("trailed");
        if began.elapsed() >= SLOW_PASS {
            tracing::debug!(closed = out.closed.len(), ?laps, "trigger evaluator: slow pass (µs)");
        }
        Ok(out)
    }

    /// Closes the open positions whose duration ran out at `now`, at the latest quote, while
    /// their symbol trades (else at the first quote after).
    async fn expire(
        &mut self,
        app: &App,
        now: DateTime<Utc>,
        symbols: &HashMap<String, Symbol>,
        quotes: &HashMap<String, (Price, Price, DateTime<Utc>)>,
        out: &mut Pass,
    ) -> Result<()> {
        for p in positions::due_to_close(app.db().conn(), now, CHANGES_PER_PASS).await? {
            if !symbols.get(&p.symbol).is_some_and(|s| s.open) {
                continue;
            }
            let Some(&(bid, ask, _)) = quotes.get(&p.symbol) else { continue };
            let side = leg_side(WireSide::parse("side", &p.side)?);
            let at = close_price(side, (bid, ask));
            match fire::close(app, p.id, p.version, at, CloseReason::Duration).await {
                Ok(Outcome::Done(c)) => {
                    self.books.drop_position(c.id);
                    out.expired.push(c.id);
                }
                Ok(_) => {}
                Err(e) => tracing::error!(error = ?e, position = p.id, "duration close failed"),
            }
        }
        Ok(())
    }

    async fn symbols(&self, app: &App, now: DateTime<Utc>) -> Result<HashMap<String, Symbol>> {
        let conn = app.db().conn();
        let down = down_at(conn, now).await?;
        let mut out = HashMap::new();
        for row in instruments::list(conn).await? {
            let spec = spec_of(&row)?;
            let open = spec.status == InstrumentStatus::Active
                && spec.trading_hours.is_open(now)
                && !down.contains(&spec.symbol);
            let tick = fixed::tick_size(spec.decimals).unwrap_or(1);
            out.insert(spec.symbol, Symbol { tick, open });
        }
        Ok(out)
    }
}

/// Every symbol's latest quote: raw (bid, ask) and when it was quoted.
async fn latest(app: &App) -> Result<HashMap<String, (Price, Price, DateTime<Utc>)>> {
    Ok(prices::quotes(app.db().conn())
        .await?
        .into_iter()
        .map(|q| (q.symbol, (Price::from_minor(q.bid), Price::from_minor(q.ask), q.quoted_at)))
        .collect())
}

/// Runs an evaluator for process `holder` every `every` until `shutdown` turns true, then
/// gives the lease up.
pub async fn run(app: App, holder: String, every: Duration, mut shutdown: watch::Receiver<bool>) {
    let mut ev = Evaluator::new(holder);
    loop {
        if *shutdown.borrow() {
            break;
        }
        if let Err(e) = ev.pass(&app).await {
            tracing::error!(error = ?e, "trigger evaluator pass failed");
        }
        tokio::select! {
            _ = tokio::time::sleep(every) => {}
            _ = app.ticked().notified() => {}
            _ = shutdown.changed() => {}
        }
    }
    if let Err(e) = ev.release(&app).await {
        tracing::warn!(error = ?e, "trigger evaluator: releasing the lease failed");
    }
}
