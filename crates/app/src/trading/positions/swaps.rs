//! The swaps a position owes for the rollovers (00:00 UTC) it was open over and has not been
//! charged for (after its `swap_date` fence, within `CATCH_UP_DAYS`), and their charge in the
//! caller's write transaction. The daily job (`trading::swaps`) charges a day this way, and
//! every close (`close_all`) first charges all the days its position still owes, so a
//! position closed before the job ran escapes no night. Each day: core's amount (points × one
//! point × lots × contract size × nights, converted into the wallet's currency exactly and
//! rounded once; nothing for a DISABLED instrument, a night-less day or a group with
//! `disableSwapCharges`), a ledger transfer `trade:<id>:swap:<day>` (negative-balance
//! protection), then the position's `swap` and `swap_date` in one conditional update. The
//! transfer id and the fence make the job and a close post a day at most once.

use std::collections::HashMap;

use brokercrm_core::money::ledger::TransferCode;
use brokercrm_core::trading::positions::Side;
use brokercrm_core::trading::swaps;
use brokercrm_core::{Currency, Error, Money, Result};
use brokercrm_engine::{Lots, maths};
use brokercrm_store::ConnectionTrait;
use brokercrm_store::repo::money::wallets::WalletRow;
use brokercrm_store::repo::trading::positions::{self, PositionRow};
use chrono::{DateTime, NaiveDate, Utc};

use super::ledger::{Posting, Shortfall, post_many};
use super::market::{Lookups, Market};

/// The swaps position `position` (on wallet `wallet`) owes: each due day, oldest first, and
/// its amount in the wallet's currency (none: nothing due that day; its fence still moves).
pub(crate) struct Owed<'a> {
    pub wallet: &'a WalletRow,
    pub position: &'a PositionRow,
    pub days: Vec<(NaiveDate, Option<Money>)>,
}

impl Owed<'_> {
    /// Whether any day has a swap to post.
    pub fn any_due(&self) -> bool {
        self.days.iter().any(|(_, a)| a.is_some())
    }
}

/// The days open position `p` owes as of `now`: up to the last rollover before it.
pub(crate) fn due_at(p: &PositionRow, now: DateTime<Utc>) -> Vec<NaiveDate> {
    swaps::due_days(p.opened_at, p.swap_date.as_deref(), swaps::last_rollover_day(now))
}

/// Whether wallet `w`'s trading group has `disableSwapCharges`.
pub(crate) async fn disabled<C: ConnectionTrait>(
    conn: &C,
    look: &mut Lookups,
    w: &WalletRow,
) -> Result<bool> {
    Ok(match w.group_id {
        Some(g) => look.group(conn, g).await?.is_some_and(|g| g.disable_swap_charges),
        None => false,
    })
}

/// What `p` on wallet `w` owes for `days` (nothing when `disabled`), its instrument and the
/// conversion into the wallet's currency read through `look` (the conversion only when a day
/// has an amount due).
pub(crate) async fn owed<'a, C: ConnectionTrait>(
    conn: &C,
    look: &mut Lookups,
    w: &'a WalletRow,
    p: &'a PositionRow,
    disabled: bool,
    days: Vec<NaiveDate>,
) -> Result<Owed<'a>> {
    let m = look.market(conn, &p.symbol).await?;
    let from = m.spec.currency;
    let mut exacts = Vec::with_capacity(days.len());
    for day in days {
        exacts.push((day, if disabled { None } else { exact(p, m, day)? }));
    }
    let mut out = Vec::with_capacity(exacts.len());
    for (day, exact) in exacts {
        let amount = match exact {
            None => None,
            Some(exact) => {
                let to = Currency::parse("currency", &p.currency)?;
                let conv = look.conversion(conn, from, to).await?;
                let money = conv.apply(&exact).round_money().ok_or_else(overflow)?;
                (!money.is_zero()).then_some(money)
            }
        };
        out.push((day, amount));
    }
    Ok(Owed { wallet: w, position: p, days: out })
}

fn overflow() -> Error {
    Error::internal("swap overflow")
}

/// The exact swap of `p` for `day` in the instrument's profit currency; none when nothing is
/// due (a DISABLED instrument, no night that day, zero points).
fn exact(p: &PositionRow, m: &Market, day: NaiveDate) -> Result<Option<maths::Frac>> {
    let s = &m.spec;
    let side = Side::parse("side", &p.side)?;
    let Some(points) = swaps::points(s.swap_mode, side, s.swap_long, s.swap_short) else {
        return Ok(None);
    };
    let nights = swaps::nights(day, s.swap_3day_weekday);
    if nights == 0 || points.is_zero() {
        return Ok(None);
    }
    Ok(Some(maths::swap_exact(&m.inst, Lots::from_minor(p.size), points, s.decimals, nights)))
}

/// The ledger transfer id of position `id`'s swap of `day`.
pub(crate) fn transfer_id(id: i64, day: NaiveDate) -> String {
    format!("trade:{id}:swap:{day}")
}

/// Charges every one of `list` in `tx` (each open, read in `tx`, its wallet locked): every
/// day's swap posted in order (losses protected on the balance as it moves), then each
/// position's `swap` and `swap_date` moved by the posted total and its last day — one
/// statement per position, only the ones listed. Returns the rows as now stored, in order. A
/// position that closed or passed a day meanwhile fails the call as a conflict.
pub(crate) async fn charge_in<C: ConnectionTrait>(
    tx: &C,
    list: &[Owed<'_>],
) -> Result<Vec<PositionRow>> {
    let mut due: Vec<(usize, String, Money, String)> = Vec::new();
    for (at, o) in list.iter().enumerate() {
        for (day, amount) in &o.days {
            let Some(amount) = amount else { continue };
            let (p, key) = (o.position, day.to_string());
            let note = format!("swap of position {} ({}) for {key}", p.id, p.symbol);
            due.push((at, transfer_id(p.id, *day), *amount, note));
        }
    }
    let postings: Vec<Posting> = due
        .iter()
        .map(|(at, id, amount, note)| Posting {
            wallet: list[*at].wallet,
            id,
            amount: *amount,
            code: TransferCode::TradingSwap,
            shortfall: Shortfall::Protect,
            note: note.clone(),
        })
        .collect();
    let posted = if postings.is_empty() { Vec::new() } else { post_many(tx, &postings).await? };
    let mut totals = vec![0_i64; list.len()];
    for ((at, ..), amount) in due.iter().zip(posted) {
        totals[*at] = totals[*at].checked_add(amount.minor()).ok_or_else(overflow)?;
    }
    let mut rows = Vec::with_capacity(list.len());
    for (o, total) in list.iter().zip(totals) {
        let p = o.position;
        let Some((last, _)) = o.days.last() else {
            rows.push(p.clone());
            continue;
        };
        let key = last.to_string();
        if !positions::add_swap(tx, p.id, &key, total).await? {
            return Err(Error::Conflict(format!("position {} changed meanwhile", p.id)));
        }
        let swap = p.swap.checked_add(total).ok_or_else(overflow)?;
        rows.push(PositionRow { swap, swap_date: Some(key), version: p.version + 1, ..p.clone() });
    }
    Ok(rows)
}

/// Before closing each of `list` (open, read in `tx`, its wallet locked) as of `now`: charges
/// the swaps it owes (as the job would have), returning the rows that changed by id (most
/// closes owe none and cost nothing here).
pub(crate) async fn charge_before_close<C: ConnectionTrait>(
    tx: &C,
    look: &mut Lookups,
    list: &[(&WalletRow, &PositionRow)],
    now: DateTime<Utc>,
) -> Result<HashMap<i64, PositionRow>> {
    let mut owing = Vec::new();
    for &(w, p) in list {
        let days = due_at(p, now);
        if days.is_empty() {
            continue;
        }
        let off = disabled(tx, look, w).await?;
        owing.push(owed(tx, look, w, p, off, days).await?);
    }
    if owing.is_empty() {
        return Ok(HashMap::new());
    }
    let charged = charge_in(tx, &owing).await?;
    Ok(charged.into_iter().map(|p| (p.id, p)).collect())
}
