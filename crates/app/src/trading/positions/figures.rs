//! A wallet's trading figures, exact: balance and credit (ledger), the floating P/L of its
//! open positions at the latest quotes, equity = balance + credit + floating, the margin of
//! its open positions (per symbol, hedged, converted into the wallet's currency), free margin
//! = equity − margin, and the margin level = equity / margin.

use std::collections::HashMap;

use brokercrm_core::money::ledger::AccountKind;
use brokercrm_core::trading::positions::Side as WireSide;
use brokercrm_core::{Currency, Error, Money, Result};
use brokercrm_engine::maths::{self, Conversion, Leg, Side};
use brokercrm_engine::{Lots, Price};
use brokercrm_store::ConnectionTrait;
use brokercrm_store::repo::money::ledger::{AccountRow, accounts};
use brokercrm_store::repo::money::wallets::WalletRow;
use brokercrm_store::repo::trading::positions::PositionRow;
use rust_decimal::Decimal;

use super::market::{Lookups, Market, Markups};

/// A wallet's figures in its currency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Figures {
    /// Available balance (posted minus pending withdrawals).
    pub balance: Money,
    pub credit: Money,
    pub floating: Money,
    pub equity: Money,
    pub margin: Money,
    pub free_margin: Money,
    /// Equity / margin in percent, 2 decimals rounded down; none without margin.
    pub margin_level: Option<Decimal>,
}

fn overflow() -> Error {
    Error::internal("wallet figures overflow")
}

/// An engine leg of a stored position.
pub fn leg_of(p: &PositionRow) -> Result<Leg> {
    let side = match WireSide::parse("side", &p.side)? {
        WireSide::Buy => Side::Buy,
        WireSide::Sell => Side::Sell,
    };
    let open = p.open_price.ok_or_else(|| Error::internal("open position without a price"))?;
    Ok(Leg { side, lots: Lots::from_minor(p.size), open: Price::from_minor(open) })
}

/// The market of every symbol among `open`, with its quote (the group's markup applied) and
/// the conversions of its margin and profit currencies into `currency`.
pub struct Prices {
    pub by_symbol: HashMap<String, (Market, (Price, Price), Conversion, Conversion)>,
}

impl Prices {
    pub async fn load<C: ConnectionTrait>(
        conn: &C,
        symbols: Vec<String>,
        currency: Currency,
        markups: &Markups,
    ) -> Result<Self> {
        Self::looked_up(&mut Lookups::default(), conn, symbols, currency, markups).await
    }

    /// [`Prices::load`] through `look`, so a batch reads each market, quote and conversion
    /// once.
    pub async fn looked_up<C: ConnectionTrait>(
        look: &mut Lookups,
        conn: &C,
        symbols: Vec<String>,
        currency: Currency,
        markups: &Markups,
    ) -> Result<Self> {
        let mut by_symbol = HashMap::new();
        for s in symbols {
            if by_symbol.contains_key(&s) {
                continue;
            }
            let m = look.market(conn, &s).await?.clone();
            let q = markups.apply(&m, look.quote(conn, &s).await?);
            let mc = look.conversion(conn, m.margin_currency(), currency).await?.clone();
            let pc = look.conversion(conn, m.spec.currency, currency).await?.clone();
            by_symbol.insert(s, (m, q, mc, pc));
        }
        Ok(Self { by_symbol })
    }

    fn get(&self, s: &str) -> Result<&(Market, (Price, Price), Conversion, Conversion)> {
        self.by_symbol.get(s).ok_or_else(|| Error::internal("symbol prices not loaded"))
    }
}

/// The close price of `leg` at `quote`: a buy closes at the bid, a sell at the ask.
pub fn close_price(side: Side, (bid, ask): (Price, Price)) -> Price {
    match side {
        Side::Buy => bid,
        Side::Sell => ask,
    }
}

/// Floating P/L of one open position in the wallet's currency.
pub fn floating_of(p: &PositionRow, prices: &Prices) -> Result<Money> {
    let (m, q, _, pc) = prices.get(&p.symbol)?;
    let leg = leg_of(p)?;
    maths::pnl(&m.inst, &leg, close_price(leg.side, *q), pc).ok_or_else(overflow)
}

/// Margin of `open` (per symbol, hedged) in the wallet's currency at `leverage`.
pub fn margin_of(open: &[PositionRow], prices: &Prices, leverage: u32) -> Result<Money> {
    let mut legs: HashMap<&str, Vec<Leg>> = HashMap::new();
    for p in open {
        legs.entry(p.symbol.as_str()).or_default().push(leg_of(p)?);
    }
    let mut total = Money::ZERO;
    for (s, l) in legs {
        let (m, _, mc, _) = prices.get(s)?;
        let margin = maths::symbol_margin(&m.inst, &l, leverage, mc).ok_or_else(overflow)?;
        total = total.checked_add(margin).ok_or_else(overflow)?;
    }
    Ok(total)
}

/// The balance (available) and credit of wallet `w`.
pub async fn money_of<C: ConnectionTrait>(conn: &C, w: &WalletRow) -> Result<(Money, Money)> {
    Ok(money_in(&accounts::for_wallet(conn, w.id).await?, w.id))
}

/// The balance (available) and credit of wallet `wallet_id` among `rows` (accounts of any
/// wallets; none: zero).
pub fn money_in(rows: &[AccountRow], wallet_id: i64) -> (Money, Money) {
    let (mut balance, mut credit) = (Money::ZERO, Money::ZERO);
    for a in rows.iter().filter(|a| a.wallet_id == Some(wallet_id)) {
        let available = Money::from_minor(a.balance - a.pending_debits);
        if a.kind == AccountKind::WalletBalance.as_str() {
            balance = available;
        } else if a.kind == AccountKind::WalletCredit.as_str() {
            credit = available;
        }
    }
    (balance, credit)
}

/// The figures of wallet `w` holding the open positions `open`.
pub async fn figures<C: ConnectionTrait>(
    conn: &C,
    w: &WalletRow,
    open: &[PositionRow],
) -> Result<Figures> {
    let currency = Currency::parse("currency", &w.currency)?;
    let symbols: Vec<String> = open.iter().map(|p| p.symbol.clone()).collect();
    let markups = Markups::of_wallet(conn, w).await?;
    let prices = Prices::load(conn, symbols, currency, &markups).await?;
    let (balance, credit) = money_of(conn, w).await?;
    compute(balance, credit, open, &prices, leverage_of(w))
}

/// The wallet's leverage for margin (at least 1).
pub fn leverage_of(w: &WalletRow) -> u32 {
    u32::try_from(w.leverage).unwrap_or(1).max(1)
}

/// The figures from money already read.
pub fn compute(
    balance: Money,
    credit: Money,
    open: &[PositionRow],
    prices: &Prices,
    leverage: u32,
) -> Result<Figures> {
    let mut floating = Money::ZERO;
    for p in open {
        floating = floating.checked_add(floating_of(p, prices)?).ok_or_else(overflow)?;
    }
    let margin = margin_of(open, prices, leverage)?;
    let equity = Money::checked_sum([balance, credit, floating]).ok_or_else(overflow)?;
    let free_margin = equity.checked_sub(margin).ok_or_else(overflow)?;
    let margin_level = maths::margin_level(equity, margin)
        .and_then(|l| i64::try_from(l).ok())
        .map(|l| Decimal::new(l, 2));
    Ok(Figures { balance, credit, floating, equity, margin, free_margin, margin_level })
}
