//! Trading's answers to money's hooks (`money::events`): the floating P/L and margin of
//! wallets with open positions for the balance views, which wallets hold open positions, and
//! the refusal of money leaving a wallet that its open positions need as margin.

use std::collections::HashMap;

use brokercrm_core::trading::positions::Status;
use brokercrm_core::{Currency, Error, Money, Result};
use brokercrm_store::DatabaseTransaction;
use brokercrm_store::repo::money::wallets;
use brokercrm_store::repo::trading::positions::{self, PositionRow};

use super::figures::{self, Prices};
use super::market::Markups;
use crate::money::events::{FundsLeaving, OpenPositionsAsked, TradingFigures, WalletFiguresAsked};
use crate::platform::events::Reaction;

async fn figures_of(
    tx: &DatabaseTransaction,
    w: &wallets::WalletRow,
    open: &[PositionRow],
) -> Result<TradingFigures> {
    let currency = Currency::parse("currency", &w.currency)?;
    let symbols: Vec<String> = open.iter().map(|p| p.symbol.clone()).collect();
    let prices = Prices::load(tx, symbols, currency, &Markups::of_wallet(tx, w).await?).await?;
    let f = figures::compute(Money::ZERO, Money::ZERO, open, &prices, figures::leverage_of(w))?;
    Ok(TradingFigures { floating: f.floating, margin: f.margin })
}

/// Subscriber to `WalletFiguresAsked`: a wallet whose figures cannot be formed (a quote or a
/// conversion path missing) is left without them rather than failing the whole view.
pub fn on_wallet_figures<'a>(
    tx: &'a DatabaseTransaction,
    e: &'a WalletFiguresAsked,
) -> Reaction<'a> {
    Box::pin(async move {
        let ids: Vec<i64> = e.wallets.iter().map(|w| w.id).collect();
        let mut by_wallet: HashMap<i64, Vec<PositionRow>> = HashMap::new();
        for p in positions::of_wallets(tx, &ids, Status::Open.as_str()).await? {
            by_wallet.entry(p.wallet_id).or_default().push(p);
        }
        let mut answers = HashMap::new();
        for w in &e.wallets {
            let Some(open) = by_wallet.get(&w.id) else { continue };
            if let Ok(f) = figures_of(tx, w, open).await {
                answers.insert(w.id, f);
            }
        }
        e.answers.lock().map_err(|_| Error::internal("figures lock"))?.extend(answers);
        Ok(())
    })
}

/// Subscriber to `OpenPositionsAsked`.
pub fn on_open_positions<'a>(
    tx: &'a DatabaseTransaction,
    e: &'a OpenPositionsAsked,
) -> Reaction<'a> {
    Box::pin(async move {
        let mut ids = positions::wallets_with(tx, Status::Open.as_str()).await?;
        if let Some(among) = &e.among {
            ids.retain(|id| among.contains(id));
        }
        e.wallet_ids.lock().map_err(|_| Error::internal("open positions lock"))?.extend(ids);
        Ok(())
    })
}

/// Subscriber to `FundsLeaving`: the wallet (locked, as fills lock it) keeps at least the
/// margin of its open positions: `amount` may not exceed the free margin.
pub fn on_funds_leaving<'a>(tx: &'a DatabaseTransaction, e: &'a FundsLeaving) -> Reaction<'a> {
    Box::pin(async move {
        let open = positions::of_wallets(tx, &[e.wallet.id], Status::Open.as_str()).await?;
        if open.is_empty() {
            return Ok(());
        }
        let w = wallets::lock(tx, e.wallet.id).await?.ok_or(Error::NotFound("wallet"))?;
        let f = figures::figures(tx, &w, &open).await?;
        if e.amount > f.free_margin {
            let free = f.free_margin.max(Money::ZERO);
            return Err(Error::field(
                "amount",
                format!(
                    "open positions need {} {} as margin: at most {} can leave",
                    f.margin.to_decimal().normalize(),
                    w.currency,
                    free.to_decimal().normalize()
                ),
            ));
        }
        Ok(())
    })
}
