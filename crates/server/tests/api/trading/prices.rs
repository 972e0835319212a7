//! Prices: manual quotes, a provider's pushed ticks (malformed named, out-of-order and stale
//! dropped), candles built from ticks, and Market Data over an interval; the simulator's
//! ticks stored like any other.

use brokercrm_app::platform::clock::Clock;
use brokercrm_core::identity::auth::Role;
use chrono::{Duration, TimeZone, Utc};
use serde_json::{Value, json};

use crate::helpers::assert::fields;
use crate::helpers::http::{get, post};
use crate::helpers::platform::audited;
use crate::helpers::trading::{eurusd, instrument};
use crate::helpers::{TestApp, assert_error};

fn tick(symbol: &str, bid: &str, ask: &str, at: chrono::DateTime<Utc>) -> Value {
    json!({"symbol": symbol, "bid": bid, "ask": ask, "time": at.to_rfc3339()})
}

#[tokio::test]
async fn ticks_build_candles_and_market_data() {
    let t = TestApp::spawn().await;
    let admin = t.admin_token().await;
    instrument(&t, &admin, eurusd()).await;
    let t0 = Utc.with_ymd_and_hms(2026, 12, 4, 10, 0, 0).unwrap();
    t.clock.set(t0 + Duration::seconds(56));
    let batch = json!({"ticks": [
        tick("EURUSD", "1.08500", "1.08510", t0),
        tick("EURUSD", "1.08600", "1.08610", t0 + Duration::seconds(20)),
        tick("EURUSD", "1.08400", "1.08410", t0 + Duration::seconds(30)),
        // out of order within the batch is sorted: this one is the newest
        tick("EURUSD", "1.08450", "1.08460", t0 + Duration::seconds(55)),
        tick("EURUSD", "1.0852", "1.0853", t0 + Duration::seconds(40)),
    ]});
    let (s, b) = post(&t, &admin, "/api/prices/ticks", batch.clone()).await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(b, json!({"accepted": 5, "dropped": 0}));
    // the same batch again: every tick is not newer than the stored quote
    let (_, b) = post(&t, &admin, "/api/prices/ticks", batch).await;
    assert_eq!(b, json!({"accepted": 0, "dropped": 5}));
    // stale: older than 60 s
    let stale = json!({"ticks": [tick("EURUSD", "1.1", "1.1", t0 - Duration::seconds(30))]});
    let (_, b) = post(&t, &admin, "/api/prices/ticks", stale).await;
    assert_eq!(b, json!({"accepted": 0, "dropped": 1}));

    let client = t.token_for(Role::Customer).await;
    let (s, b) = get(&t, &client, "/api/instruments/EURUSD/quote").await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["quote"]["bid"], "1.08450");
    assert_eq!(b["quote"]["ask"], "1.08460");
    let (s, b) = get(&t, &client, "/api/market-data/1m").await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(
        b,
        json!([{
            "symbol": "EURUSD", "time": "2026-12-04T10:00:00Z",
            "open": "1.08500", "high": "1.08600", "low": "1.08400", "close": "1.08450",
            "change": "-0.00050", "changePercent": "-0.05"
        }])
    );
    let (_, b) = get(&t, &client, "/api/market-data/1h?symbol=EURUSD").await;
    assert_eq!(b.as_array().unwrap().len(), 1);
    assert_eq!(b[0]["ticks"], 5);
    assert_eq!(b[0]["time"], "2026-12-04T10:00:00Z");
    // a later tick in the next minute opens a new 1m candle and widens the hour's
    t.clock.set(t0 + Duration::seconds(80));
    let next = json!({"ticks": [tick("EURUSD", "1.08700", "1.08710", t0 + Duration::seconds(70))]});
    post(&t, &admin, "/api/prices/ticks", next).await;
    let (_, b) = get(&t, &client, "/api/market-data/1m?symbol=EURUSD").await;
    assert_eq!(b.as_array().unwrap().len(), 2);
    assert_eq!(b[1]["open"], "1.08700");
    let (_, b) = get(&t, &client, "/api/market-data/1h?symbol=EURUSD").await;
    assert_eq!(
        (b[0]["high"].as_str(), b[0]["close"].as_str(), &b[0]["ticks"]),
        (Some("1.08700"), Some("1.08700"), &json!(6))
    );

    let (s, b) = get(&t, &client, "/api/market-data/2h").await;
    assert_eq!((s, fields(&b)), (422, vec!["interval".to_owned()]));
    let (s, b) = get(&t, &client, "/api/market-data/1d?symbol=NOPE").await;
    assert_eq!((s, fields(&b)), (422, vec!["symbol".to_owned()]));
}

#[tokio::test]
async fn malformed_ticks_are_named_and_store_nothing() {
    let t = TestApp::spawn().await;
    let admin = t.admin_token().await;
    instrument(&t, &admin, eurusd()).await;
    let now = t.clock.now();
    let bad = json!({"ticks": [
        tick("EURUSD", "1.08500", "1.08510", now),
        tick("NOPE", "1", "1", now),
        tick("EURUSD", "1.085001", "1.08510", now),
        tick("EURUSD", "1.08510", "1.08500", now),
        tick("EURUSD", "1.08500", "1.08510", now + Duration::seconds(60)),
    ]});
    let (s, b) = post(&t, &admin, "/api/prices/ticks", bad).await;
    assert_eq!(s, 422, "{b}");
    assert_error(&b, "validation_failed");
    assert_eq!(fields(&b), ["ticks[1].symbol", "ticks[2].bid", "ticks[3].ask", "ticks[4].time"]);
    let (_, b) = get(&t, &admin, "/api/instruments/EURUSD/quote").await;
    assert_eq!(b["quote"], Value::Null, "nothing was stored");
    // only PushPrices may push (admins; risk may not)
    let risk = t.token_for(Role::Risk).await;
    let ok = json!({"ticks": [tick("EURUSD", "1.08500", "1.08510", now)]});
    assert_eq!(post(&t, &risk, "/api/prices/ticks", ok).await.0, 403);
}

#[tokio::test]
async fn staff_set_a_manual_quote() {
    let t = TestApp::spawn().await;
    let admin = t.admin_token().await;
    instrument(&t, &admin, eurusd()).await;
    let (s, b) =
        post(&t, &admin, "/api/instruments/EURUSD/quote", json!({"bid": 1.085, "ask": "1.0851"}))
            .await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(
        (b["quote"]["bid"].as_str(), b["quote"]["source"].as_str()),
        (Some("1.08500"), Some("manual"))
    );
    assert_eq!(audited(&t, "instrument.quote").await, 1);
    let (s, b) =
        post(&t, &admin, "/api/instruments/EURUSD/quote", json!({"bid": "1.1", "ask": "1.0"}))
            .await;
    assert_eq!((s, fields(&b)), (422, vec!["ask".to_owned()]));
    let (s, _) =
        post(&t, &admin, "/api/instruments/NOPE/quote", json!({"bid": "1", "ask": "1"})).await;
    assert_eq!(s, 404);
    let client = t.token_for(Role::Customer).await;
    assert_eq!(
        post(&t, &client, "/api/instruments/EURUSD/quote", json!({"bid": "1", "ask": "1"})).await.0,
        403
    );
    let (_, b) = get(&t, &client, "/api/market-data/1d").await;
    assert_eq!(b[0]["close"], "1.08500");
}

#[tokio::test]
async fn the_simulator_ticks_open_instruments() {
    use brokercrm_app::trading::prices::{PriceFeed, ingest, simulator::Simulator};
    let t = TestApp::spawn().await;
    let admin = t.admin_token().await;
    instrument(&t, &admin, eurusd()).await;
    let mut closed = eurusd();
    closed["symbol"] = json!("GBPUSD");
    closed["tradingHours"] = json!([{"weekday": 0, "from": "00:00", "to": "00:01"}]);
    instrument(&t, &admin, closed).await;
    // Friday noon UTC: EURUSD (always open) ticks, GBPUSD (Sunday 00:00-00:01 only) does not
    t.clock.set(Utc.with_ymd_and_hms(2026, 12, 4, 12, 0, 0).unwrap());
    let mut sim = Simulator::new(7);
    sim.reload(&t.app).await.unwrap();
    for i in 0..5 {
        let now = t.clock.now() + Duration::seconds(i);
        let ticks = sim.poll(now).await.unwrap();
        assert_eq!(ticks.len(), 1);
        assert_eq!(ticks[0].symbol, "EURUSD");
        assert!(ticks[0].ask > ticks[0].bid);
        t.clock.set(now);
        let got = ingest(&t.app, sim.name(), ticks).await.unwrap();
        assert_eq!(got.accepted, 1);
    }
    let (_, b) = get(&t, &admin, "/api/instruments/EURUSD/quote").await;
    assert_eq!(b["quote"]["source"], "simulator");
    let (_, b) = get(&t, &admin, "/api/market-data/1m?symbol=EURUSD").await;
    assert_eq!(b[0]["ticks"], 5);
    let (_, b) = get(&t, &admin, "/api/instruments/GBPUSD/quote").await;
    assert_eq!(b["quote"], Value::Null);
}
