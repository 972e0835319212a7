//! The demo's instruments: EURUSD, GBPUSD, USDJPY (FOREX, Sunday 22:00 to Friday 22:00 UTC),
//! XAUUSD and US500 (CFD, the futures' hours in New York with the daily break), BTCUSD (CFD,
//! around the clock), each with a first quote so Market Data and the simulator start from a
//! plausible price. Instruments that exist already are left as they are.

use brokercrm_core::Result;
use brokercrm_core::trading::instruments::InstrumentInput;
use brokercrm_engine::Price;
use brokercrm_engine::fixed::tick_size;
use brokercrm_store::repo::trading::instruments as repo;
use serde_json::{Value, json};

use crate::trading::instruments::manage;
use crate::trading::prices::{Tick, ingest};
use crate::{App, Principal};

fn sessions(days: &[(u8, &str, &str)]) -> Value {
    Value::Array(days.iter().map(|(d, f, t)| json!({"weekday": d, "from": f, "to": t})).collect())
}

fn forex_hours() -> Value {
    sessions(&[
        (0, "22:00", "24:00"),
        (1, "00:00", "24:00"),
        (2, "00:00", "24:00"),
        (3, "00:00", "24:00"),
        (4, "00:00", "24:00"),
        (5, "00:00", "22:00"),
    ])
}

fn futures_hours() -> Value {
    let mut s = vec![(0, "18:00", "24:00")];
    for d in 1..=4 {
        s.push((d, "00:00", "17:00"));
        s.push((d, "18:00", "24:00"));
    }
    s.push((5, "00:00", "17:00"));
    sessions(&s)
}

#[allow(clippy::too_many_arguments)]
fn spec(
    symbol: &str,
    (margin_ccy, ccy): (&str, &str),
    category: &str,
    decimals: f64,
    mode: &str,
    contract_size: f64,
    margin_pct: f64,
    (min, max): (&str, &str),
    swaps: Option<(f64, f64)>,
    hours: Value,
    timezone: &str,
) -> InstrumentInput {
    InstrumentInput {
        symbol: symbol.into(),
        margin_currency: margin_ccy.into(),
        currency: ccy.into(),
        category: category.into(),
        decimals,
        profit_calc_mode: mode.into(),
        margin_calc_mode: mode.into(),
        sizes: json!([{"size": min}, {"size": "0.1"}, {"size": "1"}]),
        margin_percentage: margin_pct,
        hedged_margin_percentage: margin_pct / 2.0,
        trading_hours: hours,
        timezone: Some(timezone.into()),
        swap_mode: if swaps.is_some() { "POINTS" } else { "DISABLED" }.into(),
        swap_long: swaps.map_or(0.0, |s| s.0),
        swap_short: swaps.map_or(0.0, |s| s.1),
        swap_3day_weekday: swaps.map(|_| 3.0),
        stake_mode: "LOTS".into(),
        contract_size,
        min_order_size: min.into(),
        max_order_size: max.into(),
        status: "ACTIVE".into(),
        sort: None,
        filename: None,
        file: None,
    }
}

/// The six demo instruments with their first mid price (10^-8 units).
fn instruments() -> Vec<(InstrumentInput, i64)> {
    let fx = forex_hours;
    vec![
        (
            spec(
                "EURUSD",
                ("EUR", "USD"),
                "currencies",
                5.0,
                "FOREX",
                100_000.0,
                100.0,
                ("0.01", "100"),
                Some((-6.5, 1.2)),
                fx(),
                "UTC",
            ),
            108_500_000,
        ),
        (
            spec(
                "GBPUSD",
                ("GBP", "USD"),
                "currencies",
                5.0,
                "FOREX",
                100_000.0,
                100.0,
                ("0.01", "100"),
                Some((-4.1, 0.5)),
                fx(),
                "UTC",
            ),
            127_000_000,
        ),
        (
            spec(
                "USDJPY",
                ("USD", "JPY"),
                "currencies",
                3.0,
                "FOREX",
                100_000.0,
                100.0,
                ("0.01", "100"),
                Some((8.2, -15.3)),
                fx(),
                "UTC",
            ),
            15_000_000_000,
        ),
        (
            spec(
                "XAUUSD",
                ("USD", "USD"),
                "commodities",
                2.0,
                "CFD",
                100.0,
                1.0,
                ("0.01", "50"),
                Some((-25.0, 10.0)),
                futures_hours(),
                "America/New_York",
            ),
            235_000_000_000,
        ),
        (
            spec(
                "US500",
                ("USD", "USD"),
                "indices",
                2.0,
                "CFD",
                1.0,
                5.0,
                ("0.1", "100"),
                Some((-3.0, -1.0)),
                futures_hours(),
                "America/New_York",
            ),
            520_000_000_000,
        ),
        (
            spec(
                "BTCUSD",
                ("USD", "USD"),
                "cryptos",
                2.0,
                "CFD",
                1.0,
                50.0,
                ("0.01", "10"),
                None,
                json!([]),
                "UTC",
            ),
            6_500_000_000_000,
        ),
    ]
}

/// Creates the missing demo instruments (as `admin`) with a first quote each.
pub async fn load(app: &App, admin: &Principal) -> Result<()> {
    let now = app.clock().now();
    let mut ticks = Vec::new();
    for (i, (input, mid)) in instruments().into_iter().enumerate() {
        if repo::find(app.db().conn(), &input.symbol).await?.is_some() {
            continue;
        }
        let decimals = u32::try_from(input.decimals as i64).unwrap_or(2);
        let symbol = input.symbol.clone();
        let mut input = input;
        input.sort = Some(i as f64);
        manage::create(app, admin, input).await?;
        let spread = 10 * tick_size(decimals).unwrap_or(1);
        ticks.push(Tick {
            symbol,
            bid: Price::from_minor(mid),
            ask: Price::from_minor(mid + spread),
            at: now,
        });
    }
    ingest(app, "simulator", ticks).await?;
    Ok(())
}
