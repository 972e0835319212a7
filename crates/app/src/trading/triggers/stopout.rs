//! Stop-out and margin calls of one wallet, exactly: its figures at the latest quotes; at or
//! below the group's stop-out level the position losing most is closed first (ties: lower id)
//! and closing repeats until the level recovers (`engine::stopout::liquidation_order`), all in
//! one transaction with the wallet locked, each close through `close_in` (reason STOP_OUT);
//! `StoppedOut` is published when any closed; at or below the margin-call level `MarginCalled`
//! is published once per fall.

use brokercrm_core::trading::positions::{CloseReason, Status};
use brokercrm_core::{Currency, Error, Result};
use brokercrm_engine::maths::below_level;
use brokercrm_engine::stopout::{Open, liquidation_order};
use brokercrm_store::repo::money::groups;
use brokercrm_store::repo::money::wallets;
use brokercrm_store::repo::trading::positions::{self, PositionRow};

use crate::App;
use crate::trading::events::{MarginCalled, StoppedOut, TradeChanged};
use crate::trading::positions::close::close_in;
use crate::trading::positions::figures::{self, Prices, close_price, leg_of};
use crate::trading::positions::market::Markups;

/// What the check found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Checked {
    /// Positions closed by stop-out, in the order they closed.
    pub closed: Vec<i64>,
    /// At or below the margin-call level (after any stop-out).
    pub margin_call: bool,
}

/// Checks wallet `wallet_id`; `notify` says whether a margin call may be published now (the
/// caller publishes once per fall).
pub async fn check(app: &App, wallet_id: i64, notify: bool) -> Result<Checked> {
    let tx = app.db().begin_write().await?;
    let Some(w) = wallets::lock(&tx, wallet_id).await? else { return Ok(Checked::default()) };
    let Some(g) = (match w.group_id {
        Some(g) => groups::find(&tx, g).await?,
        None => None,
    }) else {
        return Ok(Checked::default());
    };
    let open = positions::of_wallets(&tx, &[w.id], Status::Open.as_str()).await?;
    if open.is_empty() {
        return Ok(Checked::default());
    }
    let currency = Currency::parse("currency", &w.currency)?;
    let symbols: Vec<String> = open.iter().map(|p| p.symbol.clone()).collect();
    let markups = Markups::of_wallet(&tx, &w).await?;
    let prices = Prices::load(&tx, symbols, currency, &markups).await?;
    let (balance, credit) = figures::money_of(&tx, &w).await?;
    let leverage = figures::leverage_of(&w);
    let f = figures::compute(balance, credit, &open, &prices, leverage)?;
    let mut out = Checked::default();
    let mut after = app.bus().pending();
    // "reaches the level": at or below, so compare with the level plus one hundredth.
    let at_or_below = |level: i32| below_level(f.equity, f.margin, level.saturating_add(1));
    if g.stop_out_level > 0 && at_or_below(g.stop_out_level) {
        let mut pnl = Vec::with_capacity(open.len());
        for p in &open {
            let id = u64::try_from(p.id).map_err(|_| Error::internal("negative id"))?;
            pnl.push(Open { id, pnl: figures::floating_of(p, &prices)? });
        }
        let level = g.stop_out_level.saturating_add(1);
        let order = liquidation_order(f.equity, &pnl, level, |remaining| {
            let rest: Vec<PositionRow> = open
                .iter()
                .filter(|p| u64::try_from(p.id).is_ok_and(|id| remaining.contains(&id)))
                .cloned()
                .collect();
            figures::margin_of(&rest, &prices, leverage).ok()
        });
        for id in order {
            let Some(p) = open.iter().find(|p| u64::try_from(p.id).is_ok_and(|i| i == id)) else {
                continue;
            };
            let (_, quote, _, _) = prices
                .by_symbol
                .get(&p.symbol)
                .ok_or_else(|| Error::internal("symbol prices not loaded"))?;
            let at = close_price(leg_of(p)?.side, *quote);
            let closed = close_in(app, &tx, &w, p, at, CloseReason::StopOut).await?;
            after.push(TradeChanged::of(&closed));
            out.closed.push(p.id);
        }
        if !out.closed.is_empty() {
            let event = StoppedOut {
                wallet_id: w.id,
                customer_id: w.user_id,
                demo: w.is_demo,
                currency,
                equity: f.equity,
                positions: out.closed.clone(),
            };
            app.events().publish(&tx, &event).await?;
        }
    }
    let rest: Vec<PositionRow> =
        open.iter().filter(|p| !out.closed.contains(&p.id)).cloned().collect();
    let margin = figures::margin_of(&rest, &prices, leverage)?;
    out.margin_call = g.margin_call_level > 0
        && below_level(f.equity, margin, g.margin_call_level.saturating_add(1));
    if out.margin_call && notify {
        let level = brokercrm_engine::maths::margin_level(f.equity, margin)
            .and_then(|l| i64::try_from(l).ok())
            .unwrap_or_default();
        let event = MarginCalled {
            wallet_id: w.id,
            customer_id: w.user_id,
            demo: w.is_demo,
            currency,
            equity: f.equity,
            margin,
            margin_level: level,
            margin_call_level: g.margin_call_level,
        };
        app.events().publish(&tx, &event).await?;
    }
    after.commit(tx).await?;
    Ok(out)
}
