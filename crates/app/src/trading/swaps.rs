//! Swaps: the daily rollover. Maintenance enqueues one `trading.swap_rollover` job per
//! rollover day (de-duplicated by day); the job walks the positions open at that day's
//! rollover (00:00 UTC after it) and, one transaction each, charges or credits the swap of
//! its instrument (POINTS: swapLong/swapShort × one point × lots × contract size × the
//! day's nights, converted into the wallet's currency exactly and rounded once; DISABLED:
//! nothing), skipping wallets whose trading group has `disableSwapCharges`. Each swap is a
//! ledger transfer `trade:<id>:swap:<day>` against the trading P/L house account, committed
//! with the position's `swap` and `swap_date` (the per-day fence), so a re-run or a crash
//! mid-run charges nothing twice. A job also catches up on the days of the week before it that
//! a position missed (the service was down over their rollover), oldest first. See
//! docs/trading.md ("Swaps").

use std::collections::HashMap;

use brokercrm_core::money::ledger::TransferCode;
use brokercrm_core::trading::positions::Side;
use brokercrm_core::trading::swaps;
use brokercrm_core::{Currency, Error, Money, Result};
use brokercrm_engine::{Lots, maths};
use brokercrm_store::db;
use brokercrm_store::repo::money::{groups, wallets};
use brokercrm_store::repo::trading::positions::{self, PositionRow};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::positions::ledger::{Shortfall, post};
use super::positions::market::{self, Market};
use crate::App;
use crate::platform::jobs::{self, Job};

/// Positions read per page of a rollover.
const PAGE: u64 = 500;

/// What a rollover did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rollover {
    /// Positions charged or credited (a swap posted or recorded).
    pub charged: Vec<i64>,
    /// Positions failed (logged; the job retries them).
    pub failed: Vec<i64>,
}

/// The rollover job of one day (`YYYY-MM-DD`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SwapRollover {
    pub day: String,
}

impl Job for SwapRollover {
    const KIND: &'static str = "trading.swap_rollover";

    fn dedup_key(&self) -> Option<String> {
        Some(format!("trading.swaps:{}", self.day))
    }

    async fn run(self, app: App) -> Result<()> {
        let day: NaiveDate = self.day.parse().map_err(|_| Error::internal("bad rollover day"))?;
        let r = rollover(&app, day).await?;
        if r.failed.is_empty() {
            Ok(())
        } else {
            Err(Error::internal(format!("{} positions' swaps failed", r.failed.len())))
        }
    }
}

/// Enqueues the rollover of the last day that rolled over (once per day); maintenance calls
/// it every pass.
pub async fn schedule(app: &App) -> Result<()> {
    let day = swaps::last_rollover_day(app.clock().now());
    jobs::enqueue(app.db().conn(), &SwapRollover { day: day.to_string() }).await.map(drop)
}

/// Charges or credits the swap of `day` on every position open at its rollover.
pub async fn rollover(app: &App, day: NaiveDate) -> Result<Rollover> {
    let at = swaps::rollover_at(day);
    let mut out = Rollover::default();
    let mut markets: HashMap<String, Market> = HashMap::new();
    let mut after = 0;
    loop {
        let page = positions::open_before(app.db().conn(), at, after, PAGE).await?;
        let Some(last) = page.last() else { break };
        after = last.id;
        for p in page {
            if !markets.contains_key(&p.symbol) {
                match market::load(app.db().conn(), "symbol", &p.symbol).await {
                    Ok(m) => _ = markets.insert(p.symbol.clone(), m),
                    Err(e) => {
                        tracing::error!(error = ?e, position = p.id, "swap: instrument missing");
                        out.failed.push(p.id);
                        continue;
                    }
                }
            }
            let Some(m) = markets.get(&p.symbol) else { continue };
            let mut charged = false;
            for d in due_days(&p, day) {
                match charge(app, &p, m, d).await {
                    Ok(c) => charged |= c,
                    Err(e) => {
                        tracing::error!(error = ?e, position = p.id, day = %d, "swap rollover failed");
                        out.failed.push(p.id);
                        break; // the later days wait for this one (the fence only moves forward)
                    }
                }
            }
            if charged {
                out.charged.push(p.id);
            }
        }
    }
    if !out.charged.is_empty() {
        tracing::info!(%day, positions = out.charged.len(), "swaps rolled over");
    }
    Ok(out)
}

/// Rollover days a job catches up on: when maintenance did not run over a rollover (the
/// service was down), the next day's job also charges the days missed, up to this many days
/// back in all, each as its own transfer and in day order.
pub const CATCH_UP_DAYS: i64 = 7;

/// The days up to `day` (oldest first, at most [`CATCH_UP_DAYS`]) that position `p`, as read,
/// was open over at their rollover and has not been charged for (after its `swap_date`).
fn due_days(p: &PositionRow, day: NaiveDate) -> Vec<NaiveDate> {
    (0..CATCH_UP_DAYS)
        .rev()
        .map(|back| day - chrono::Duration::days(back))
        .filter(|d| p.opened_at.is_some_and(|o| o < swaps::rollover_at(*d)))
        .filter(|d| p.swap_date.as_deref().is_none_or(|done| d.to_string().as_str() > done))
        .collect()
}

/// The swap of `p` for `day` in its wallet's currency (exact, rounded once); none when
/// nothing is due (swaps disabled, no night that day, zero points).
async fn amount<C: brokercrm_store::ConnectionTrait>(
    conn: &C,
    p: &PositionRow,
    m: &Market,
    day: NaiveDate,
) -> Result<Option<Money>> {
    let s = &m.spec;
    let side = Side::parse("side", &p.side)?;
    let Some(points) = swaps::points(s.swap_mode, side, s.swap_long, s.swap_short) else {
        return Ok(None);
    };
    let nights = swaps::nights(day, s.swap_3day_weekday);
    if nights == 0 || points.is_zero() {
        return Ok(None);
    }
    let exact = maths::swap_exact(&m.inst, Lots::from_minor(p.size), points, s.decimals, nights);
    let conv =
        market::conversion(conn, s.currency, Currency::parse("currency", &p.currency)?).await?;
    let money = conv.apply(&exact).round_money().ok_or_else(|| Error::internal("swap overflow"))?;
    Ok((!money.is_zero()).then_some(money))
}

/// One position's swap of `day`, in its own transaction; false when nothing was due or it
/// was applied before (the fence) or the position closed meanwhile. A day with nothing due
/// (a weekend night, swaps disabled for the instrument or the wallet's group) still moves the
/// fence, so a later catch-up never charges it.
async fn charge(app: &App, p: &PositionRow, m: &Market, day: NaiveDate) -> Result<bool> {
    let tx = app.db().begin_write().await?;
    let Some(w) = wallets::lock(&tx, p.wallet_id).await? else { return Ok(false) };
    let Some(p) = positions::find(&tx, p.id).await? else { return Ok(false) };
    let key = day.to_string();
    let done = p.swap_date.as_deref().is_some_and(|d| d >= key.as_str());
    if p.status != "OPEN" || done {
        return Ok(false);
    }
    let disabled = match w.group_id {
        Some(g) => groups::find(&tx, g).await?.is_some_and(|g| g.disable_swap_charges),
        None => false,
    };
    let due = if disabled { None } else { amount(&tx, &p, m, day).await? };
    let Some(amount) = due else {
        positions::add_swap(&tx, p.id, &key, 0).await?;
        db::commit(tx).await?;
        return Ok(false);
    };
    let posted = post(
        &tx,
        &w,
        &format!("trade:{}:swap:{key}", p.id),
        amount,
        TransferCode::TradingSwap,
        Shortfall::Protect,
        format!("swap of position {} ({}) for {key}", p.id, p.symbol),
    )
    .await?;
    if !positions::add_swap(&tx, p.id, &key, posted.minor()).await? {
        return Ok(false); // dropped: rolled back
    }
    db::commit(tx).await?;
    Ok(true)
}
