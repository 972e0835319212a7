//! Trading fixtures: an instrument body per demo symbol, and creating one.

use serde_json::{Value, json};

use super::TestApp;
use super::http::post;

/// A valid "Create instrument" body for EURUSD (FOREX, 5 decimals, lots of 0.01 to 100).
pub fn eurusd() -> Value {
    json!({
        "symbol": "EURUSD",
        "marginCurrency": "EUR",
        "currency": "USD",
        "category": "currencies",
        "decimals": 5,
        "profitCalcMode": "FOREX",
        "marginCalcMode": "FOREX",
        "sizes": [{"size": "0.01"}, {"size": "0.1"}, {"size": "1"}],
        "marginPercentage": 100,
        "hedgedMarginPercentage": 50,
        "tradingHours": [],
        "swapMode": "POINTS",
        "swapLong": -6.5,
        "swapShort": 1.2,
        "swap3DayWeekday": 3,
        "stakeMode": "LOTS",
        "contractSize": 100000,
        "minOrderSize": "0.01",
        "maxOrderSize": "100",
        "status": "ACTIVE",
        "sort": 1,
        "filename": null,
        "file": null
    })
}

/// Creates `body` as `admin`; returns the instrument.
pub async fn instrument(t: &TestApp, admin: &str, body: Value) -> Value {
    let (s, b) = post(t, admin, "/api/instruments", body).await;
    assert_eq!(s, 200, "{b}");
    b["instrument"].clone()
}

/// A "Create instrument" body for USDJPY (FOREX, 3 decimals, margin in USD, profit in JPY).
pub fn usdjpy() -> Value {
    let mut b = eurusd();
    b["symbol"] = json!("USDJPY");
    b["marginCurrency"] = json!("USD");
    b["currency"] = json!("JPY");
    b["decimals"] = json!(3);
    b
}

/// Sets the quote of `symbol` one second after the previous clock reading.
pub async fn quote(t: &TestApp, admin: &str, symbol: &str, bid: &str, ask: &str) {
    t.clock
        .set(brokercrm_app::platform::clock::Clock::now(&*t.clock) + chrono::Duration::seconds(1));
    let (s, b) = post(
        t,
        admin,
        &format!("/api/instruments/{symbol}/quote"),
        json!({"bid": bid, "ask": ask}),
    )
    .await;
    assert_eq!(s, 200, "{b}");
}

/// Creates the exchange rate `from`→`to`.
pub async fn rate(t: &TestApp, admin: &str, from: &str, to: &str, rate: &str) {
    let body = json!({"fromCurrency": from, "toCurrency": to, "source": "ecb", "rate": rate});
    let (s, b) = post(t, admin, "/api/exchange-rates", body).await;
    assert_eq!(s, 200, "{b}");
}

/// Opens a position as `token`; returns (status, body).
pub async fn open(t: &TestApp, token: &str, body: Value) -> (u16, Value) {
    post(t, token, "/api/positions", body).await
}

/// EURUSD quoted 1.08500/1.08510 with the rate EUR→USD 1.085.
pub async fn eurusd_market(t: &TestApp, admin: &str) {
    instrument(t, admin, eurusd()).await;
    rate(t, admin, "EUR", "USD", "1.085").await;
    quote(t, admin, "EURUSD", "1.08500", "1.08510").await;
}

/// Sets the USD group's leverage to 200 and its margin-call and stop-out levels (percent).
pub async fn margin_levels(t: &TestApp, admin: &str, margin_call: i32, stop_out: i32) {
    let group = super::money::currency_group(t, admin, "USD").await;
    let (s, b) = super::http::put(
        t,
        admin,
        &format!("/api/groups/{group}"),
        json!({
            "leverage": 200, "markups": [], "commissions": [],
            "marginCallLevel": margin_call, "stopOutLevel": stop_out, "adapterName": "neo",
            "disableSwapCharges": false
        }),
    )
    .await;
    assert_eq!(s, 200, "{b}");
}
