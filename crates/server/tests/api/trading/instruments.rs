//! Instruments: the nine operations end to end, validation naming each field (and changing
//! nothing), trading hours in the instrument's zone, permissions, audit, XLSX export.

use brokercrm_core::identity::auth::Role;
use serde_json::{Value, json};

use crate::helpers::assert::fields;
use crate::helpers::http::{delete, download_token, get, post, put, xlsx_sheet};
use crate::helpers::platform::audited;
use crate::helpers::trading::{eurusd, instrument};
use crate::helpers::{TestApp, assert_error};

fn us500() -> Value {
    let mut b = eurusd();
    b["symbol"] = json!("US500");
    b["marginCurrency"] = json!("USD");
    b["category"] = json!("indices");
    b["decimals"] = json!(2);
    b["profitCalcMode"] = json!("CFD");
    b["marginCalcMode"] = json!("CFD");
    b["marginPercentage"] = json!(5);
    b["contractSize"] = json!(1);
    b["minOrderSize"] = json!("0.1");
    b["maxOrderSize"] = json!("50");
    b["swap3DayWeekday"] = json!(5);
    b["timezone"] = json!("America/New_York");
    b["tradingHours"] = json!([
        {"weekday": 1, "from": "09:30", "to": "12:00"},
        {"weekday": 1, "from": "13:00", "to": "16:00"}
    ]);
    b["sort"] = json!(0);
    b
}

#[tokio::test]
async fn instruments_are_created_read_updated_sorted_and_deleted() {
    let t = TestApp::spawn().await;
    let admin = t.admin_token().await;
    let eur = instrument(&t, &admin, eurusd()).await;
    assert_eq!(eur["symbol"], "EURUSD");
    assert_eq!(eur["decimals"], 5);
    assert_eq!(eur["marginPercentage"], 100.0);
    assert_eq!(eur["swapLong"], -6.5);
    assert_eq!(eur["swap3DayWeekday"], 3);
    assert_eq!(eur["contractSize"], 100000.0);
    assert_eq!(eur["minOrderSize"], "0.01");
    assert_eq!(eur["timezone"], "UTC");
    assert_eq!(eur["sizes"], json!([{"size": "0.01"}, {"size": "0.1"}, {"size": "1"}]));
    let us = instrument(&t, &admin, us500()).await;
    assert_eq!(us["tradingHours"][1], json!({"weekday": 1, "from": "13:00", "to": "16:00"}));
    assert_eq!(us["timezone"], "America/New_York");
    assert_eq!(audited(&t, "instrument.create").await, 2);

    // list by sort (US500 0, EURUSD 1), symbols, one by symbol
    let (s, b) = get(&t, &admin, "/api/instruments").await;
    assert_eq!(s, 200, "{b}");
    let syms: Vec<&str> = b["instruments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["symbol"].as_str().unwrap())
        .collect();
    assert_eq!(syms, ["US500", "EURUSD"]);
    let (_, b) = get(&t, &admin, "/api/instruments/symbols").await;
    assert_eq!(b["symbols"], json!(["US500", "EURUSD"]));
    let (s, b) = get(&t, &admin, "/api/instruments/EURUSD").await;
    assert_eq!((s, &b["instrument"]["id"]), (200, &eur["id"]));
    let (s, b) = get(&t, &admin, "/api/instruments/NOPE").await;
    assert_eq!(s, 404);
    assert_error(&b, "not_found");

    // sort: EURUSD first now; an unknown symbol is named and changes nothing
    let (s, b) = post(&t, &admin, "/api/instruments/sort", json!({"EURUSD": 0, "US500": 7})).await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["instruments"][0]["symbol"], "EURUSD");
    assert_eq!(b["instruments"][1]["sort"], 7);
    let (s, b) = post(&t, &admin, "/api/instruments/sort", json!({"US500": 0, "XXX": 1})).await;
    assert_eq!(s, 422);
    assert_eq!(fields(&b), ["XXX"]);
    let (_, b) = get(&t, &admin, "/api/instruments/US500").await;
    assert_eq!(b["instrument"]["sort"], 7, "a refused sort changes nothing");

    // update: rename and change fields; renaming onto a taken symbol is 409
    let mut changed = eurusd();
    changed["symbol"] = json!("EURUSD.m");
    changed["status"] = json!("DISABLED");
    changed["swap3DayWeekday"] = Value::Null;
    let (s, b) = put(&t, &admin, "/api/instruments/EURUSD", changed).await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["instrument"]["symbol"], "EURUSD.m");
    assert_eq!(b["instrument"]["swap3DayWeekday"], Value::Null);
    assert_eq!(b["instrument"]["id"], eur["id"]);
    let mut clash = eurusd();
    clash["symbol"] = json!("US500");
    let (s, b) = put(&t, &admin, "/api/instruments/EURUSD.m", clash).await;
    assert_eq!(s, 409, "{b}");
    let (s, _) = post(&t, &admin, "/api/instruments", us500()).await;
    assert_eq!(s, 409);
    assert_eq!(audited(&t, "instrument.update").await, 1);

    // delete
    let (s, b) = delete(&t, &admin, "/api/instruments/EURUSD.m").await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["success"], "instrument EURUSD.m deleted");
    let (s, _) = delete(&t, &admin, "/api/instruments/EURUSD.m").await;
    assert_eq!(s, 404);
    assert_eq!(audited(&t, "instrument.delete").await, 1);
}

#[tokio::test]
async fn bad_instruments_name_every_field_and_change_nothing() {
    let t = TestApp::spawn().await;
    let admin = t.admin_token().await;
    let mut bad = eurusd();
    bad["symbol"] = json!("sort");
    bad["currency"] = json!("usd1");
    bad["category"] = json!("bonds");
    bad["decimals"] = json!(9);
    bad["marginCalcMode"] = json!("STP");
    bad["marginPercentage"] = json!(-1);
    bad["tradingHours"] = json!([{"weekday": 1, "from": "10:00", "to": "09:00"}]);
    bad["swapLong"] = json!(1.123456789);
    bad["swap3DayWeekday"] = json!(7);
    bad["contractSize"] = json!(0);
    bad["minOrderSize"] = json!("1e-2");
    bad["status"] = json!("OPEN");
    bad["timezone"] = json!("Mars/Base");
    let (s, b) = post(&t, &admin, "/api/instruments", bad).await;
    assert_eq!(s, 422, "{b}");
    assert_error(&b, "validation_failed");
    assert_eq!(
        fields(&b),
        [
            "symbol",
            "currency",
            "category",
            "decimals",
            "marginCalcMode",
            "marginPercentage",
            "timezone",
            "swapLong",
            "swap3DayWeekday",
            "contractSize",
            "minOrderSize",
            "status"
        ]
    );
    let mut hours = eurusd();
    hours["tradingHours"] = json!([{"weekday": 1, "from": "10:00", "to": "09:00"}]);
    let (s, b) = post(&t, &admin, "/api/instruments", hours).await;
    assert_eq!((s, fields(&b)), (422, vec!["tradingHours[0].to".to_owned()]));
    let mut sizes = eurusd();
    sizes["minOrderSize"] = json!("5");
    sizes["maxOrderSize"] = json!("1");
    let (s, b) = post(&t, &admin, "/api/instruments", sizes).await;
    assert_eq!((s, fields(&b)), (422, vec!["maxOrderSize".to_owned()]));
    let mut missing = eurusd();
    missing.as_object_mut().unwrap().remove("contractSize");
    let (s, b) = post(&t, &admin, "/api/instruments", missing).await;
    assert_eq!(s, 400, "{b}");
    assert!(b["error"]["message"].as_str().unwrap().contains("contractSize"), "{b}");
    let (_, b) = get(&t, &admin, "/api/instruments").await;
    assert_eq!(b["instruments"], json!([]), "nothing was created");
    assert_eq!(audited(&t, "instrument.create").await, 0);
}

#[tokio::test]
async fn who_may_read_and_write_instruments() {
    let t = TestApp::spawn().await;
    let admin = t.admin_token().await;
    instrument(&t, &admin, eurusd()).await;
    let mut off = us500();
    off["status"] = json!("DISABLED");
    instrument(&t, &admin, off).await;
    let risk = t.token_for(Role::Risk).await;
    let client = t.token_for(Role::Customer).await;
    let agent = t.token_for(Role::ConversionAgent).await;
    assert_eq!(get(&t, &risk, "/api/instruments").await.0, 200);
    assert_eq!(post(&t, &risk, "/api/instruments", eurusd()).await.0, 403);
    assert_eq!(get(&t, &agent, "/api/instruments").await.0, 403);
    assert_eq!(get(&t, &client, "/api/instruments/EURUSD").await.0, 403);
    assert_eq!(delete(&t, &client, "/api/instruments/EURUSD").await.0, 403);
    assert_eq!(t.server.get("/api/instruments/symbols").await.status_code().as_u16(), 401);
    // a client sees the active symbols and their trading information only
    let (_, b) = get(&t, &client, "/api/instruments/symbols").await;
    assert_eq!(b["symbols"], json!(["EURUSD"]));
    let (s, b) = get(&t, &client, "/api/me/instruments").await;
    assert_eq!(s, 200, "{b}");
    let list = b["instruments"].as_array().unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["symbol"], "EURUSD");
    assert_eq!(list[0]["lotStep"], "0.01");
    assert_eq!(list[0]["isOpen"], true, "no trading hours: always open");
}

#[tokio::test]
async fn trading_hours_follow_the_instruments_zone() {
    use chrono::TimeZone;
    let t = TestApp::spawn().await;
    let admin = t.admin_token().await;
    instrument(&t, &admin, us500()).await;
    let client = t.token_for(Role::Customer).await;
    // Monday 2026-12-07 14:45 UTC is 09:45 in New York: open; 17:30 UTC is the lunch break.
    t.clock.set(chrono::Utc.with_ymd_and_hms(2026, 12, 7, 14, 45, 0).unwrap());
    let (_, b) = get(&t, &client, "/api/me/instruments").await;
    assert_eq!(b["instruments"][0]["isOpen"], true, "{b}");
    t.clock.set(chrono::Utc.with_ymd_and_hms(2026, 12, 7, 17, 30, 0).unwrap());
    let (_, b) = get(&t, &client, "/api/me/instruments").await;
    assert_eq!(b["instruments"][0]["isOpen"], false);
}

#[tokio::test]
async fn instruments_export_to_xlsx() {
    let t = TestApp::spawn().await;
    let admin = t.admin_token().await;
    instrument(&t, &admin, eurusd()).await;
    let token = download_token(&t, &admin).await;
    let r = t.server.get(&format!("/api/instruments/export?token={token}")).await;
    r.assert_status_ok();
    let xml = xlsx_sheet(&r);
    assert!(xml.contains("EURUSD") && xml.contains("100000") && xml.contains("-6.5"), "{xml}");
    let client = t.token_for(Role::Customer).await;
    let token = download_token(&t, &client).await;
    let r = t.server.get(&format!("/api/instruments/export?token={token}")).await;
    assert_eq!(r.status_code().as_u16(), 403);
}

#[tokio::test]
async fn the_demo_adds_six_instruments_with_prices_once() {
    let t = TestApp::spawn().await;
    brokercrm_app::demo::load(&t.app, "http://x").await.unwrap();
    brokercrm_app::demo::load(&t.app, "http://x").await.unwrap();
    let admin = t.admin_token().await;
    let (_, b) = get(&t, &admin, "/api/instruments/symbols").await;
    assert_eq!(b["symbols"], json!(["EURUSD", "GBPUSD", "USDJPY", "XAUUSD", "US500", "BTCUSD"]));
    let (_, b) = get(&t, &admin, "/api/instruments/USDJPY/quote").await;
    assert_eq!(
        (b["quote"]["bid"].as_str(), b["quote"]["ask"].as_str()),
        (Some("150.000"), Some("150.010"))
    );
    let (_, b) = get(&t, &admin, "/api/market-data/1d").await;
    assert_eq!(b.as_array().unwrap().len(), 6, "{b}");
    let (_, b) = get(&t, &admin, "/api/instruments/US500").await;
    assert_eq!(b["instrument"]["timezone"], "America/New_York");
    assert_eq!(b["instrument"]["tradingHours"].as_array().unwrap().len(), 10);
}
