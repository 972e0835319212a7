//! A fill's money: the free margin with the new position added (its margin and the opening
//! commission) checked on the wallet's book, the position's own margin and commission set,
//! the row stored OPEN and the commission posted. The decision is made on a [`Book`] held in
//! memory, so a single fill and a batch of fills on one wallet (`open_all`) decide alike;
//! the opening order and staff's audit entry of a fill are formed here for both.

use brokercrm_core::money::ledger::TransferCode;
use brokercrm_core::trading::positions::{self as rules, OrderKind, Status};
use brokercrm_core::{Currency, Error, Money, Result};
use brokercrm_engine::Price;
use brokercrm_engine::maths::{self, Leg};
use brokercrm_store::ConnectionTrait;
use brokercrm_store::repo::money::wallets::WalletRow;
use brokercrm_store::repo::trading::orders::OrderRow;
use brokercrm_store::repo::trading::positions::{self, PositionRow};
use rust_decimal::{Decimal, RoundingStrategy};
use serde_json::Value;

use super::figures::{self, Prices};
use super::ledger::{Shortfall, post};
use super::market::{Lookups, Market};
use super::view::PositionView;
use crate::platform::audit::Audit;

/// What a fill on one wallet is decided on: its open positions, their prices (and the new
/// positions'), its balance and credit, its leverage and its group's commissions.
pub struct Book {
    pub open: Vec<PositionRow>,
    pub prices: Prices,
    pub balance: Money,
    pub credit: Money,
    pub leverage: u32,
    pub commissions: Value,
    pub currency: Currency,
}

impl Book {
    /// Wallet `w`'s book as stored (its open positions read here), priced for `symbols` too.
    pub async fn read<C: ConnectionTrait>(
        conn: &C,
        look: &mut Lookups,
        w: &WalletRow,
        symbols: &[String],
    ) -> Result<Self> {
        let open = positions::of_wallets(conn, &[w.id], Status::Open.as_str()).await?;
        let money = figures::money_of(conn, w).await?;
        Self::of(conn, look, w, open, money, symbols).await
    }

    /// Wallet `w`'s book from its open positions and (balance, credit) already read.
    pub async fn of<C: ConnectionTrait>(
        conn: &C,
        look: &mut Lookups,
        w: &WalletRow,
        open: Vec<PositionRow>,
        (balance, credit): (Money, Money),
        symbols: &[String],
    ) -> Result<Self> {
        let currency = Currency::parse("currency", &w.currency)?;
        let mut all: Vec<String> = open.iter().map(|o| o.symbol.clone()).collect();
        all.extend(symbols.iter().cloned());
        let markups = look.markups(conn, w).await?;
        let prices = Prices::looked_up(look, conn, all, currency, &markups).await?;
        let commissions = match w.group_id {
            Some(g) => look
                .group(conn, g)
                .await?
                .and_then(|g| serde_json::from_str::<Value>(&g.commissions).ok())
                .unwrap_or(Value::Null),
            None => Value::Null,
        };
        let leverage = figures::leverage_of(w);
        Ok(Self { open, prices, balance, credit, leverage, commissions, currency })
    }

    /// Decides the fill of `p` (open price and time set) on market `m`: refuses it (422 on
    /// `size`) when the free margin after it, less its commission, would be negative; else
    /// returns it OPEN with its own margin and commission, and the book holds it.
    pub fn fill(&mut self, m: &Market, mut p: PositionRow) -> Result<PositionRow> {
        let currency = self.currency;
        let before =
            figures::compute(self.balance, self.credit, &self.open, &self.prices, self.leverage)?;
        self.open.push(p.clone());
        let margin_after = figures::margin_of(&self.open, &self.prices, self.leverage);
        self.open.pop();
        let margin_after = margin_after?;
        let per_lot = rules::commission_per_lot(&self.commissions, &p.symbol);
        let commission = Money::from_decimal_rounded(
            "commission",
            per_lot * Decimal::new(p.size, 8),
            RoundingStrategy::MidpointNearestEven,
        )?;
        let free_after = before
            .equity
            .checked_sub(commission)
            .and_then(|e| e.checked_sub(margin_after))
            .ok_or_else(|| Error::internal("overflow"))?;
        if free_after.is_negative() {
            return Err(Error::field(
                "size",
                format!(
                    "not enough free margin: the position needs {} {currency} more",
                    free_after.checked_neg().unwrap_or(Money::MAX).to_decimal().normalize()
                ),
            ));
        }
        p.margin = self.own_margin(m, &p)?;
        p.commission = commission.minor();
        p.status = Status::Open.as_str().to_owned();
        self.balance =
            self.balance.checked_sub(commission).ok_or_else(|| Error::internal("overflow"))?;
        self.open.push(p.clone());
        Ok(p)
    }

    /// The margin of `p` alone (unhedged) in the wallet's currency.
    fn own_margin(&self, m: &Market, p: &PositionRow) -> Result<i64> {
        let (_, _, mc, _) = self
            .prices
            .by_symbol
            .get(&p.symbol)
            .ok_or_else(|| Error::internal("symbol prices not loaded"))?;
        let own: Leg = figures::leg_of(p)?;
        Ok(maths::symbol_margin(&m.inst, &[own], self.leverage, mc)
            .ok_or_else(|| Error::internal("overflow"))?
            .minor())
    }
}

/// The opening commission's transfer id and note of position `p`.
pub fn commission_transfer(p: &PositionRow) -> (String, String) {
    (
        format!("trade:{}:commission", p.id),
        format!("opening commission of position {} ({})", p.id, p.symbol),
    )
}

/// Fills `p` (open price and time set) on wallet `w` (locked in `tx`): decides it on the
/// wallet's book ([`Book::fill`]), stores it OPEN (a pending one by id and version) and posts
/// the commission.
pub async fn fill_in<C: ConnectionTrait>(
    tx: &C,
    w: &WalletRow,
    m: &Market,
    p: PositionRow,
) -> Result<PositionRow> {
    let mut book =
        Book::read(tx, &mut Lookups::default(), w, std::slice::from_ref(&p.symbol)).await?;
    let p = book.fill(m, p)?;
    let p = if p.id == 0 {
        positions::insert(tx, p).await?
    } else {
        positions::replace(tx, &p, Status::Pending.as_str(), p.version).await?;
        PositionRow { version: p.version + 1, ..p }
    };
    let minus = Money::from_minor(p.commission).checked_neg();
    let minus = minus.ok_or_else(|| Error::internal("overflow"))?;
    let (id, note) = commission_transfer(&p);
    post(tx, w, &id, minus, TransferCode::TradingCommission, Shortfall::Refuse, note).await?;
    Ok(p)
}

/// The opening order of `p`: a MARKET order filled at its open price, or a pending LIMIT or
/// STOP order at `level`.
pub(crate) fn order_of(p: &PositionRow, kind: OrderKind, level: Option<Price>) -> OrderRow {
    let now = brokercrm_store::db::now();
    let filled = kind == OrderKind::Market;
    OrderRow {
        id: 0,
        position_id: p.id,
        wallet_id: p.wallet_id,
        user_id: p.user_id,
        symbol: p.symbol.clone(),
        side: p.side.clone(),
        kind: kind.as_str().to_owned(),
        purpose: "OPEN".to_owned(),
        status: if filled { "FILLED" } else { "PENDING" }.to_owned(),
        size: p.size,
        limit_price: (kind == OrderKind::Limit).then_some(level).flatten().map(Price::minor),
        stop_price: (kind == OrderKind::Stop).then_some(level).flatten().map(Price::minor),
        fill_price: if filled { p.open_price } else { None },
        external_id: p.external_id.clone(),
        filled_at: filled.then_some(now),
        created_at: now,
        updated_at: now,
    }
}

/// The audit entry of staff opening `p` (filled; `price_set`: at a price staff named).
pub(crate) fn opened_audit(p: &PositionRow, decimals: u32, price_set: bool) -> Audit<'static> {
    Audit::new("position.open", "position", p.id.to_string())
        .details(format!(
            "position {} opened on wallet {}: {} {} {} at {}{}",
            p.id,
            p.wallet_id,
            p.side,
            Decimal::new(p.size, 8).normalize(),
            p.symbol,
            Decimal::new(p.open_price.unwrap_or_default(), 8).normalize(),
            if price_set { " (price set by staff)" } else { "" }
        ))
        .after(&PositionView::of(p, decimals, None))
}
