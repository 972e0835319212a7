//! Swaps: the daily rollover. Maintenance enqueues one `trading.swap_rollover` job per
//! rollover day (de-duplicated by day); the job walks the positions open at that day's
//! rollover (00:00 UTC after it) and, one transaction each, charges or credits the swap of
//! its instrument (POINTS: swapLong/swapShort × one point × lots × contract size × the
//! day's nights, converted into the wallet's currency exactly and rounded once; DISABLED:
//! nothing), skipping wallets whose trading group has `disableSwapCharges`. Each swap is a
//! ledger transfer `trade:<id>:swap:<day>` against the trading P/L house account, committed
//! with the position's `swap` and `swap_date` (the per-day fence), so a re-run or a crash
//! mid-run charges nothing twice. A job also catches up on the days of the week before it that
//! a position missed (the service was down over their rollover), oldest first. A position
//! closed before the job ran was charged by its close (`positions::swaps`, the same amounts
//! and writes), so the job finds it closed. See docs/trading.md ("Swaps").

use brokercrm_core::trading::positions::Status;
use brokercrm_core::trading::swaps;
use brokercrm_core::{Error, Result};
use brokercrm_store::db;
use brokercrm_store::repo::money::wallets;
use brokercrm_store::repo::trading::positions::{self, PositionRow};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::positions::market::Lookups;
use super::positions::swaps as owing;
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
    // Instruments, groups and conversions read once for the whole run.
    let mut look = Lookups::default();
    let mut after = 0;
    loop {
        let page = positions::open_before(app.db().conn(), at, after, PAGE).await?;
        let Some(last) = page.last() else { break };
        after = last.id;
        for p in page {
            if let Err(e) = look.market(app.db().conn(), &p.symbol).await {
                tracing::error!(error = ?e, position = p.id, "swap: instrument missing");
                out.failed.push(p.id);
                continue;
            }
            let mut charged = false;
            for d in swaps::due_days(p.opened_at, p.swap_date.as_deref(), day) {
                match charge(app, &mut look, &p, d).await {
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

/// Rollover days a job (or a close) catches up on: core's window.
pub use swaps::CATCH_UP_DAYS;

/// One position's swap of `day`, in its own transaction; false when nothing was due or it
/// was applied before (the fence) or the position closed meanwhile (its close charged it).
/// A day with nothing due (a weekend night, swaps disabled for the instrument or the
/// wallet's group) still moves the fence, so a later catch-up never charges it. The amount
/// and the writes are the ones a close makes (`positions::swaps`).
async fn charge(app: &App, look: &mut Lookups, p: &PositionRow, day: NaiveDate) -> Result<bool> {
    let tx = app.db().begin_write().await?;
    let Some(w) = wallets::lock(&tx, p.wallet_id).await? else { return Ok(false) };
    let Some(p) = positions::find(&tx, p.id).await? else { return Ok(false) };
    let key = day.to_string();
    let done = p.swap_date.as_deref().is_some_and(|d| d >= key.as_str());
    if p.status != Status::Open.as_str() || done {
        return Ok(false);
    }
    let off = owing::disabled(&tx, look, &w).await?;
    let o = owing::owed(&tx, look, &w, &p, off, vec![day]).await?;
    let due = o.any_due();
    let charged = owing::charge_in(&tx, &[o]).await;
    match charged {
        Ok(_) => db::commit(tx).await.map(|()| due),
        Err(Error::Conflict(_)) => Ok(false), // moved meanwhile: rolled back
        Err(e) => Err(e),
    }
}
