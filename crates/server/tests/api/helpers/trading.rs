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
