//! Group markups: a group's `markups` (points per symbol) widen the spread its wallets trade
//! at — a buy fills at ask + markup and closes at bid − markup, the floating P/L reads the
//! same prices, the client's quote and Market Data's candles show them, and a stop loss
//! fires when the marked-up bid reaches it, at that price. A bad markup is a 422 naming the entry's field.

use brokercrm_app::trading::triggers::Evaluator;
use serde_json::{Value, json};

use crate::helpers::TestApp;
use crate::helpers::assert::{field_of, fields};
use crate::helpers::http::{get, get_as_wallet, post_empty, put};
use crate::helpers::money::{assert_verified, balance, currency_group, m, money_of};
use crate::helpers::trading::{eurusd_market, open, quote};

fn group_body(markups: Value) -> Value {
    json!({"leverage": 200, "markups": markups, "commissions": [], "marginCallLevel": 100,
        "stopOutLevel": 50, "adapterName": "neo", "disableSwapCharges": false})
}

#[tokio::test]
async fn a_groups_markup_widens_fills_closes_and_triggers() {
    let t = TestApp::spawn().await;
    let admin = t.admin_token().await;
    eurusd_market(&t, &admin).await; // 1.08500 / 1.08510
    let c = t.customer().admin(&admin).with_wallet("USD", 10_000).create().await;
    let w = c.wallets[0];
    let group = currency_group(&t, &admin, "USD").await;
    let url = format!("/api/groups/{group}");
    let (s, b) =
        put(&t, &admin, &url, group_body(json!([{"symbol": "EURUSD", "points": 1.5}]))).await;
    assert_eq!((s, fields(&b)), (422, vec!["markups[0].points".to_owned()]), "{b}");
    let (s, b) =
        put(&t, &admin, &url, group_body(json!([{"points": 2}, {"symbol": "*", "points": 3}])))
            .await;
    assert_eq!((s, fields(&b)), (422, vec!["markups[1].symbol".to_owned()]), "{b}");
    let markups = json!([{"symbol": "EURUSD", "points": 20}, {"symbol": "*", "points": 5}]);
    let (s, b) = put(&t, &admin, &url, group_body(markups.clone())).await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["group"]["markups"], markups);

    let buy = |extra: Value| {
        let mut b = json!({"accountId": w, "symbol": "EURUSD", "side": "BUY", "size": 1});
        b.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        b
    };
    // 20 points = 0.00020 on each side: the client's quote shows it, staff see the raw feed
    let (s, q) = get(&t, &c.token, "/api/instruments/EURUSD/quote").await;
    assert_eq!(
        (s, &q["quote"]["bid"], &q["quote"]["ask"]),
        (200, &json!("1.08480"), &json!("1.08530")),
        "{q}"
    );
    let (_, q) = get(&t, &admin, "/api/instruments/EURUSD/quote").await;
    assert_eq!(
        (&q["quote"]["bid"], &q["quote"]["ask"]),
        (&json!("1.08500"), &json!("1.08510")),
        "{q}"
    );
    let named = get_as_wallet(&t, &admin, "/api/instruments/EURUSD/quote", &w.to_string()).await;
    assert_eq!(named.1["quote"]["bid"], json!("1.08480"));
    // Market Data's candles (of the bid) too: the client's are marked, staff's raw
    let (s, md) = get(&t, &c.token, "/api/market-data/1m").await;
    assert_eq!(s, 200, "{md}");
    let eurusd = md.as_array().unwrap().iter().find(|r| r["symbol"] == "EURUSD").unwrap();
    assert_eq!(
        (&eurusd["open"], &eurusd["low"], &eurusd["close"], &eurusd["change"]),
        (&json!("1.08480"), &json!("1.08480"), &json!("1.08480"), &json!("0.00000")),
        "{md}"
    );
    let (_, candles) = get(&t, &c.token, "/api/market-data/1m?symbol=EURUSD").await;
    assert_eq!(
        (&candles[0]["open"], &candles[0]["high"], &candles[0]["close"]),
        (&json!("1.08480"), &json!("1.08480"), &json!("1.08480")),
        "{candles}"
    );
    let (_, raw) = get(&t, &admin, "/api/market-data/1m?symbol=EURUSD").await;
    assert_eq!(raw[0]["close"], json!("1.08500"), "{raw}");
    let marked =
        get_as_wallet(&t, &admin, "/api/market-data/1m?symbol=EURUSD", &w.to_string()).await;
    assert_eq!(marked.1[0]["close"], json!("1.08480"));
    let other = t.customer().admin(&admin).with_wallet("USD", 10).create().await;
    let foreign = get_as_wallet(&t, &other.token, "/api/market-data/1m", &w.to_string()).await;
    assert_eq!(foreign.0, 404, "another client's wallet");
    let bad = get_as_wallet(&t, &c.token, "/api/instruments/EURUSD/quote", "x").await;
    assert_eq!(bad.0, 422);
    assert_eq!(field_of(&bad.1), "X-Wallet-Id");
    let (s, p) = open(&t, &c.token, buy(json!({}))).await;
    assert_eq!(s, 200, "{p}");
    assert_eq!(p["openPrice"], "1.08530");
    // floating at the marked bid 1.08480: −50 USD
    assert_eq!(p["profitLoss"], json!(-50.0));
    let id = p["id"].as_i64().unwrap();
    let (s, closed) = post_empty(&t, &c.token, &format!("/api/positions/{id}/close")).await;
    assert_eq!(s, 200, "{closed}");
    assert_eq!(closed["closePrice"], "1.08480");
    assert_eq!(closed["closedPLInAccountCurrency"], json!(-50.0));
    assert_eq!(money_of(&balance(&t, &admin, w).await["balance"]), m("9950"));

    // a stop loss at 1.08400 fires when the marked bid (bid − 0.00020) reaches it
    let (s, p) = open(&t, &c.token, buy(json!({"stopLoss": "1.08400"}))).await;
    assert_eq!(s, 200, "{p}");
    let sl = p["id"].as_i64().unwrap();
    let mut ev = Evaluator::new("a");
    ev.pass(&t.app).await.unwrap();
    quote(&t, &admin, "EURUSD", "1.08425", "1.08435").await; // marked bid 1.08405
    assert!(ev.pass(&t.app).await.unwrap().closed.is_empty());
    quote(&t, &admin, "EURUSD", "1.08415", "1.08425").await; // marked bid 1.08395
    assert_eq!(ev.pass(&t.app).await.unwrap().closed, vec![sl]);
    let (_, p) = get(&t, &c.token, &format!("/api/positions/{sl}")).await;
    assert_eq!(
        (p["closedReason"].as_str(), p["closePrice"].as_str()),
        (Some("STOP_LOSS"), Some("1.08395")),
        "{p}"
    );
    // (1.08395 − 1.08530) × 100000 = −135
    assert_eq!(p["closedPLInAccountCurrency"], json!(-135.0));
    assert_verified(t.app.db()).await;
}
