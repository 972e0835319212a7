//! The demo customer's trading: a real USD wallet (a manual deposit) and a demo USD wallet
//! (play money), each with a few open positions, some closed history (opened by staff at a
//! set price, closed by the customer at the market, so there are gains and losses) and, on
//! the real wallet, a pending limit order — all through the trading use cases, so every
//! commission and P/L is a ledger transfer. The exchange rates the USD wallets need for
//! EURUSD, GBPUSD and USDJPY are added when missing. A symbol outside its trading hours when
//! the demo runs is left out (BTCUSD trades around the clock). Safe to run again: a wallet
//! that already has positions is left as it is.

use brokercrm_core::{Currency, Error, Money, Result};
use brokercrm_engine::Price;
use brokercrm_engine::fixed::tick_size;
use serde_json::{Value, json};

use crate::money::fx::rates::{self, RateInput, RawRate};
use crate::money::wallets::admin::{self as wallets, ListQuery, NewWalletInput};
use crate::money::wallets::manual::{ManualInput, manual};
use crate::money::wallets::{Page, WalletView, demo as demo_wallets};
use crate::trading::positions::list::{self, PositionQuery};
use crate::trading::positions::open::{OpenInput, create};
use crate::trading::positions::{close, market};
use crate::{App, Principal};

/// What the customer's wallets get: the real one's deposit, the demo one's play money.
const REAL_DEPOSIT: i64 = 25_000;
const DEMO_TOP_UP: i64 = 100_000;

/// Rates the USD wallets convert along (the demo prices' mids).
const RATES: [(&str, &str, &str); 3] =
    [("EUR", "USD", "1.085"), ("GBP", "USD", "1.27"), ("USD", "JPY", "150")];

/// A position of the demo: symbol, side, lots, and for history the open price's distance
/// from the market in basis points (positive: the customer gains when it is closed).
struct Trade(&'static str, &'static str, &'static str, Option<i64>);

const REAL_OPEN: [Trade; 5] = [
    Trade("EURUSD", "BUY", "0.5", None),
    Trade("USDJPY", "SELL", "0.3", None),
    Trade("XAUUSD", "SELL", "0.2", None),
    Trade("US500", "BUY", "1", None),
    Trade("BTCUSD", "BUY", "0.05", None),
];
const REAL_HISTORY: [Trade; 4] = [
    Trade("EURUSD", "SELL", "1", Some(30)),
    Trade("GBPUSD", "BUY", "0.4", Some(-20)),
    Trade("BTCUSD", "SELL", "0.02", Some(120)),
    Trade("BTCUSD", "BUY", "0.03", Some(-80)),
];
const DEMO_OPEN: [Trade; 2] =
    [Trade("EURUSD", "BUY", "1", None), Trade("BTCUSD", "SELL", "0.1", None)];
const DEMO_HISTORY: [Trade; 2] =
    [Trade("BTCUSD", "BUY", "0.05", Some(150)), Trade("GBPUSD", "SELL", "0.5", Some(-15))];

/// The customer's wallets, with positions. Returns (real wallet id, demo wallet id).
pub async fn load(app: &App, admin: &Principal, customer: &Principal) -> Result<(i64, i64)> {
    add_rates(app, admin).await?;
    let real = wallet(app, admin, customer, false).await?;
    let demo = wallet(app, admin, customer, true).await?;
    if !has_positions(app, admin, real.id).await? {
        let deposit = ManualInput {
            kind: "DEPOSIT".into(),
            currency: None,
            method: Some("bank".into()),
            comment: Some("demo deposit".into()),
            add_to_credit: false,
            amount: Money::from_units(REAL_DEPOSIT).unwrap_or(Money::ZERO),
        };
        let key = format!("demo-deposit-{}", real.id);
        manual(app, admin, real.id, deposit, Some(&key)).await?;
        trade(app, admin, customer, real.id, &REAL_OPEN, &REAL_HISTORY).await?;
        pending(app, customer, real.id).await?;
    }
    if !has_positions(app, admin, demo.id).await? {
        let amount = Money::from_units(DEMO_TOP_UP).unwrap_or(Money::ZERO);
        demo_wallets::top_up(app, admin, demo.id, amount, None).await?;
        trade(app, admin, customer, demo.id, &DEMO_OPEN, &DEMO_HISTORY).await?;
    }
    Ok((real.id, demo.id))
}

async fn add_rates(app: &App, admin: &Principal) -> Result<()> {
    let have = rates::list(app, admin).await?;
    for (from, to, rate) in RATES {
        let pair = |a: &Currency, b: &Currency| a.as_str() == from && b.as_str() == to;
        if have.iter().any(|r| {
            pair(&r.from_currency, &r.to_currency) || pair(&r.to_currency, &r.from_currency)
        }) {
            continue;
        }
        let input = RateInput {
            from_currency: from.into(),
            to_currency: to.into(),
            source: "demo".into(),
            rate: Some(RawRate::Text(rate.into())),
        };
        rates::create(app, admin, input).await?;
    }
    Ok(())
}

/// The customer's first USD wallet of that book, opened when there is none.
async fn wallet(
    app: &App,
    admin: &Principal,
    customer: &Principal,
    demo: bool,
) -> Result<WalletView> {
    let q = ListQuery {
        customer_id: Some(customer.user_id),
        currencies: vec!["USD".into()],
        is_demo: Some(demo.to_string()),
        ..ListQuery::default()
    };
    let (found, _) = wallets::list(app, admin, q, Page::numbered(Some(1), Some(1))?).await?;
    if let Some(w) = found.into_iter().next() {
        return Ok(w);
    }
    let n = NewWalletInput {
        customer_id: customer.user_uuid.clone(),
        group_id: None,
        platform: Some("PRO".into()),
        leverage: Some(100.0),
        is_demo: Some(demo),
    };
    let w = wallets::create(app, admin, n).await?;
    if w.currency != "USD" {
        return Err(Error::internal("the demo wallets are meant to be in USD"));
    }
    Ok(w)
}

async fn has_positions(app: &App, admin: &Principal, wallet: i64) -> Result<bool> {
    let q = PositionQuery { account_id: Some(wallet), limit: Some(1), ..PositionQuery::default() };
    Ok(list::list(app, admin, q).await?.count > 0)
}

/// Whether `symbol` trades now.
async fn open_now(app: &App, symbol: &str) -> Result<bool> {
    let conn = app.db().conn();
    let m = market::load(conn, "symbol", symbol).await?;
    Ok(market::require_open(conn, &m, app.clock().now()).await.is_ok()
        && market::quote(conn, symbol).await.is_ok())
}

/// The market price of `side` on `symbol` moved by `bp` basis points in the customer's
/// favour (a buy opened lower, a sell higher), on the instrument's tick.
async fn price_away(app: &App, symbol: &str, side: &str, bp: i64) -> Result<Value> {
    let conn = app.db().conn();
    let m = market::load(conn, "symbol", symbol).await?;
    let (bid, ask) = market::quote(conn, symbol).await?;
    let tick = tick_size(m.spec.decimals).unwrap_or(1);
    let base = if side == "BUY" { ask.minor() } else { bid.minor() };
    let ticks = base / 10_000 * bp / tick;
    let moved = if side == "BUY" { base - ticks * tick } else { base + ticks * tick };
    let text =
        crate::trading::prices::format::price_text(Price::from_minor(moved), m.spec.decimals);
    Ok(json!(text))
}

fn order(wallet: i64, t: &Trade) -> OpenInput {
    OpenInput {
        size: json!(t.2),
        side: t.1.into(),
        symbol: t.0.into(),
        account_id: Some(wallet),
        ..OpenInput::default()
    }
}

/// Opens `open` at the market and `history` at its set prices (then closes them as the
/// customer), leaving out symbols that do not trade now.
async fn trade(
    app: &App,
    admin: &Principal,
    customer: &Principal,
    wallet: i64,
    open: &[Trade],
    history: &[Trade],
) -> Result<()> {
    for t in history {
        if !open_now(app, t.0).await? {
            continue;
        }
        let mut n = order(wallet, t);
        n.open_price = Some(price_away(app, t.0, t.1, t.3.unwrap_or(0)).await?);
        let p = create(app, admin, n).await?;
        close::close(app, customer, p.id).await?;
    }
    for t in open {
        if open_now(app, t.0).await? {
            create(app, customer, order(wallet, t)).await?;
        }
    }
    Ok(())
}

/// A buy limit 5 % under the market on BTCUSD: waits in the pending orders.
async fn pending(app: &App, customer: &Principal, wallet: i64) -> Result<()> {
    if !open_now(app, "BTCUSD").await? {
        return Ok(());
    }
    let mut n = order(wallet, &Trade("BTCUSD", "BUY", "0.01", None));
    n.open_price = Some(price_away(app, "BTCUSD", "BUY", 500).await?);
    create(app, customer, n).await?;
    Ok(())
}
