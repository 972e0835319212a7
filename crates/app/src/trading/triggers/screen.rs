//! Screening wallets for stop-out and margin calls, read-only and many at once: each wallet's
//! figures at the latest quotes (the same computation as the exact check), whether it is at
//! or below a level (then the evaluator runs the exact check, which closes and notifies in a
//! write transaction), and per symbol it holds the stop-out threshold the engine books keep
//! (`engine::stopout::threshold`): the raw bid at which that symbol alone would bring the
//! wallet to its stop-out level. A tick crossing a threshold sends the wallet back here, so a
//! tick costs a book lookup, not a check of every wallet holding the symbol.

use std::collections::{HashMap, HashSet};

use brokercrm_core::money::ledger::AccountKind;
use brokercrm_core::trading::positions::Status;
use brokercrm_core::{Currency, Error, Money, Result};
use brokercrm_engine::maths::below_level;
use brokercrm_engine::stopout::threshold;
use brokercrm_engine::{Price, Side};
use brokercrm_store::repo::money::ledger::accounts;
use brokercrm_store::repo::money::{groups, wallets};
use brokercrm_store::repo::trading::positions::{self, PositionRow};

use crate::App;
use crate::trading::positions::figures::{self, Prices, floating_of, leg_of};
use crate::trading::positions::market::Markups;

/// Wallets read per statement (an `IN` list stays well under every database's limit).
const CHUNK: usize = 1_000;

/// A symbol's threshold: `(Buy, p)` checks the wallet when the raw bid falls to `p`, `(Sell,
/// p)` when it rises to it; none when that symbol's price alone cannot reach the level.
pub type Threshold = (String, Option<(Side, Price)>);

/// What the screen found for one wallet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Screened {
    pub wallet_id: i64,
    /// At or below the group's stop-out level.
    pub stop_out: bool,
    /// At or below the group's margin-call level.
    pub margin_call: bool,
    /// Per symbol the wallet holds open: its threshold for the books (none: that symbol's
    /// price alone cannot reach the level, or the group has no stop-out level).
    pub thresholds: Vec<Threshold>,
}

/// What the books tell the screen about a symbol: its price step and the spread allowance
/// its stop-out thresholds assume.
#[derive(Debug, Clone, Copy)]
pub struct BookTerms {
    pub tick: i64,
    pub spread_allowance: i64,
}

/// Screens `wallet_ids` (each once; wallets without open positions come back with no
/// thresholds). `terms` gives each symbol's book terms (a symbol missing gets a threshold
/// with no spread allowance and a price step of one unit). A wallet not in `called` (no
/// margin call since it last recovered) gets its thresholds at the margin-call level when
/// that is above the stop-out level, so the tick that brings the call finds it too.
pub async fn screen(
    app: &App,
    wallet_ids: &[i64],
    terms: &HashMap<String, BookTerms>,
    called: &HashSet<i64>,
) -> Result<Vec<Screened>> {
    let conn = app.db().conn();
    let groups: HashMap<i64, groups::GroupRow> =
        groups::list(conn).await?.into_iter().map(|g| (g.id, g)).collect();
    let mut out = Vec::with_capacity(wallet_ids.len());
    // The prices of a wallet depend on its currency and its group's markups only.
    let mut prices: HashMap<(String, Option<i64>), Prices> = HashMap::new();
    for chunk in wallet_ids.chunks(CHUNK) {
        let rows = wallets::find_many(conn, chunk).await?;
        let mut open: HashMap<i64, Vec<PositionRow>> = HashMap::new();
        for p in positions::of_wallets(conn, chunk, Status::Open.as_str()).await? {
            open.entry(p.wallet_id).or_default().push(p);
        }
        let mut money: HashMap<i64, (Money, Money)> = HashMap::new();
        for a in accounts::for_wallets(conn, chunk).await? {
            let Some(w) = a.wallet_id else { continue };
            let available = Money::from_minor(a.balance - a.pending_debits);
            let entry = money.entry(w).or_default();
            if a.kind == AccountKind::WalletBalance.as_str() {
                entry.0 = available;
            } else if a.kind == AccountKind::WalletCredit.as_str() {
                entry.1 = available;
            }
        }
        for w in rows {
            let held = open.remove(&w.id).unwrap_or_default();
            let group = w.group_id.and_then(|g| groups.get(&g));
            let none = Screened {
                wallet_id: w.id,
                stop_out: false,
                margin_call: false,
                thresholds: Vec::new(),
            };
            let Some(g) = group.filter(|_| !held.is_empty()) else {
                out.push(none);
                continue;
            };
            let key = (w.currency.clone(), w.group_id);
            let markups = Markups::parse(&g.markups);
            let p = prices.entry(key).or_insert_with(|| Prices { by_symbol: HashMap::new() });
            let mut missing: Vec<String> = held
                .iter()
                .filter(|h| !p.by_symbol.contains_key(&h.symbol))
                .map(|h| h.symbol.clone())
                .collect();
            missing.dedup();
            if !missing.is_empty() {
                let currency = Currency::parse("currency", &w.currency)?;
                p.by_symbol
                    .extend(Prices::load(conn, missing, currency, &markups).await?.by_symbol);
            }
            let (balance, credit) = money.get(&w.id).copied().unwrap_or_default();
            let f = figures::compute(balance, credit, &held, p, figures::leverage_of(&w))?;
            let at_or_below = |level: i32| below_level(f.equity, f.margin, level.saturating_add(1));
            let watched = if !called.contains(&w.id) && g.margin_call_level > g.stop_out_level {
                g.margin_call_level
            } else {
                g.stop_out_level
            };
            out.push(Screened {
                wallet_id: w.id,
                stop_out: g.stop_out_level > 0 && at_or_below(g.stop_out_level),
                margin_call: g.margin_call_level > 0 && at_or_below(g.margin_call_level),
                thresholds: thresholds(&held, p, f.equity, f.margin, watched, terms, &markups)?,
            });
        }
    }
    Ok(out)
}

/// Per symbol among `held`, the raw-bid threshold of a wallet with `equity` and `margin` at
/// `level` (0: none).
fn thresholds(
    held: &[PositionRow],
    prices: &Prices,
    equity: Money,
    margin: Money,
    level: i32,
    terms: &HashMap<String, BookTerms>,
    markups: &Markups,
) -> Result<Vec<Threshold>> {
    let mut by_symbol: HashMap<&str, Vec<&PositionRow>> = HashMap::new();
    for p in held {
        by_symbol.entry(p.symbol.as_str()).or_default().push(p);
    }
    let mut out = Vec::with_capacity(by_symbol.len());
    for (symbol, rows) in by_symbol {
        if level <= 0 {
            out.push((symbol.to_owned(), None));
            continue;
        }
        let Some((m, _, _, pc)) = prices.by_symbol.get(symbol) else { continue };
        let mut fixed = equity;
        let mut legs = Vec::with_capacity(rows.len());
        for p in rows {
            fixed = fixed
                .checked_sub(floating_of(p, prices)?)
                .ok_or_else(|| Error::internal("stop-out threshold overflow"))?;
            legs.push(leg_of(p)?);
        }
        let t = terms.get(symbol).copied().unwrap_or(BookTerms { tick: 1, spread_allowance: 0 });
        // The wallet sees the raw quote widened by its markup on each side: its bid is the raw
        // bid − mk and its spread the raw spread + 2·mk. The threshold is found on the wallet's
        // bid (with the allowance widened alike) and moved back onto the raw bid.
        let mk = markups.units(symbol, m.spec.decimals);
        let found = threshold(
            fixed,
            &m.inst,
            &legs,
            pc,
            margin,
            // "Reaches the level": at or below, as the exact check compares.
            level.saturating_add(1),
            t.spread_allowance.saturating_add(mk.saturating_mul(2)),
            t.tick,
        );
        let raw = found.map(|(side, p)| (side, Price::from_minor(p.minor().saturating_add(mk))));
        out.push((symbol.to_owned(), raw));
    }
    Ok(out)
}
