//! Positions: market opens and closes as ledger transfers (commission, realised P/L against
//! the trading P/L house account of the wallet's book), every refusal a 422 naming its field
//! and changing nothing, a EUR wallet trading USDJPY along its conversion path, staff opens
//! and audited corrections, and a random sequence of opens and closes that leaves the ledger
//! verified and balanced.

use brokercrm_core::Money;
use brokercrm_core::identity::auth::Role;
use brokercrm_store::repo::money::ledger::accounts;
use brokercrm_store::repo::trading::positions as position_repo;
use chrono::{Duration, Utc};
use rand::{Rng, SeedableRng};
use serde_json::{Value, json};

use crate::helpers::TestApp;
use crate::helpers::assert::fields;
use crate::helpers::http::{get, post, post_empty, put};
use crate::helpers::money::{assert_verified, balance, currency_group, m, money_of};
use crate::helpers::platform::audited;
use crate::helpers::trading::{eurusd, eurusd_market, instrument, open, quote, rate, usdjpy};

/// The balance of a ledger account by key (zero when it does not exist yet).
pub async fn account_balance(t: &TestApp, key: &str) -> Money {
    accounts::find_by_key(t.app.db().conn(), key)
        .await
        .unwrap()
        .map_or(Money::ZERO, |a| Money::from_minor(a.balance))
}

fn buy(wallet: i64, size: Value) -> Value {
    json!({"accountId": wallet, "symbol": "EURUSD", "side": "BUY", "size": size})
}

#[tokio::test]
async fn a_market_round_trip_posts_commission_and_pnl() {
    let t = TestApp::spawn().await;
    let admin = t.admin_token().await;
    eurusd_market(&t, &admin).await;
    let c = t.customer().admin(&admin).with_wallet("USD", 10_000).create().await;
    let w = c.wallets[0];
    // 3.5 USD per lot on every symbol
    let group = currency_group(&t, &admin, "USD").await;
    let (s, b) = put(&t, &admin, &format!("/api/groups/{group}"), json!({
        "leverage": 200, "markups": [], "commissions": [{"symbol": "*", "perLot": "3.5"}],
        "marginCallLevel": 100, "stopOutLevel": 50, "adapterName": "neo", "disableSwapCharges": false
    })).await;
    assert_eq!(s, 200, "{b}");

    let (s, p) = open(&t, &c.token, buy(w, json!(2))).await;
    assert_eq!(s, 200, "{p}");
    assert_eq!((p["status"].as_str(), p["side"].as_str()), (Some("OPEN"), Some("BUY")));
    assert_eq!(p["openPrice"], "1.08510");
    assert_eq!(p["commission"], json!(7.0));
    // FOREX margin: 2 lots × 100000 / 200 = 1000 EUR = 1085 USD
    assert_eq!(p["margin"], "1085");
    assert_eq!(p["customerId"], c.id.to_string());
    let id = p["id"].as_i64().unwrap();
    assert_eq!(money_of(&balance(&t, &admin, w).await["balance"]), m("9993"));

    quote(&t, &admin, "EURUSD", "1.08610", "1.08620").await;
    let (_, g) = get(&t, &c.token, &format!("/api/positions/{id}")).await;
    // floating: (1.08610 − 1.08510) × 200000 = 200 USD
    assert_eq!(g["profitLoss"], json!(200.0));
    let (s, closed) = post_empty(&t, &c.token, &format!("/api/positions/{id}/close")).await;
    assert_eq!(s, 200, "{closed}");
    assert_eq!(closed["status"], "CLOSED");
    assert_eq!(closed["closedReason"], "CLIENT");
    assert_eq!(closed["closePrice"], "1.08610");
    assert_eq!(closed["closedPLInAccountCurrency"], json!(200.0));
    assert_eq!(money_of(&balance(&t, &admin, w).await["balance"]), m("10193"));
    assert_eq!(account_balance(&t, "house:trading_pnl:USD").await, m("-193"));
    // a second close of the same position changes nothing
    let (s, _) = post_empty(&t, &c.token, &format!("/api/positions/{id}/close")).await;
    assert_eq!(s, 409);
    assert_eq!(money_of(&balance(&t, &admin, w).await["balance"]), m("10193"));
    let (s, orders) = get(&t, &c.token, &format!("/api/positions/{id}/orders")).await;
    assert_eq!(s, 200, "{orders}");
    let kinds: Vec<_> = orders
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            (o["purpose"].as_str().unwrap().to_owned(), o["fillPrice"].as_str().unwrap().to_owned())
        })
        .collect();
    assert_eq!(kinds, [("OPEN".into(), "1.08510".into()), ("CLOSE".into(), "1.08610".into())]);
    // the wallet's transactions show both movements
    let (_, list) = get(&t, &admin, &format!("/api/positions?accountId={w}&statuses=CLOSED")).await;
    assert_eq!((list["count"].as_u64(), list["pages"].as_u64()), (Some(1), Some(1)));
    // another customer sees none of it
    let other = t.customer().create().await;
    let (s, _) = get(&t, &other.token, &format!("/api/positions/{id}")).await;
    assert_eq!(s, 404);
    let (_, mine) = get(&t, &other.token, "/api/positions").await;
    assert_eq!(mine["count"], 0);
    assert_verified(t.app.db()).await;
}

#[tokio::test]
async fn refusals_name_the_field_and_change_nothing() {
    let t = TestApp::spawn().await;
    let admin = t.admin_token().await;
    eurusd_market(&t, &admin).await;
    let mut off = eurusd();
    off["symbol"] = json!("OFFUSD");
    off["status"] = json!("DISABLED");
    instrument(&t, &admin, off).await;
    let mut down = eurusd();
    down["symbol"] = json!("GBPUSD");
    instrument(&t, &admin, down).await;
    quote(&t, &admin, "GBPUSD", "1.25000", "1.25010").await;
    let now = Utc::now();
    let (s, b) = post(&t, &admin, "/api/downtimes", json!({"title": "maintenance",
        "startDate": (now - Duration::days(1)).to_rfc3339(), "endDate": (now + Duration::days(1)).to_rfc3339(),
        "symbols": ["GBPUSD"]})).await;
    assert_eq!(s, 200, "{b}");
    let c = t.customer().admin(&admin).with_wallet("USD", 1_000).create().await;
    let w = c.wallets[0];
    let with = |k: &str, v: Value| {
        let mut b = buy(w, json!(0.1));
        b[k] = v;
        b
    };
    let rows: Vec<(Value, &str)> = vec![
        (with("symbol", json!("NOPE")), "symbol"),
        (with("symbol", json!("OFFUSD")), "symbol"),
        (with("symbol", json!("GBPUSD")), "symbol"),
        (with("size", json!(0.015)), "size"),
        (with("size", json!(0)), "size"),
        (with("size", json!(101)), "size"),
        (with("size", json!("lots")), "size"),
        (with("side", json!("HOLD")), "side"),
        (with("platform", json!("MT4")), "platform"),
        (with("stopLoss", json!("1.09000")), "stopLoss"),
        (with("takeProfit", json!("1.08000")), "takeProfit"),
        (with("stopLoss", json!("1.080001")), "stopLoss"),
        (with("tailingStopLossPct", json!(0)), "tailingStopLossPct"),
        (with("openPrice", json!("1.0851234")), "openPrice"),
        // 10 lots need 5000 EUR of margin on 1000 USD
        (with("size", json!(10)), "size"),
        (json!({"symbol": "EURUSD", "side": "BUY", "size": 1}), "accountId"),
    ];
    for (body, field) in rows {
        let (s, b) = open(&t, &c.token, body.clone()).await;
        assert_eq!((s, fields(&b)), (422, vec![field.to_owned()]), "{body} → {b}");
    }
    // a sell's stops are the other way round
    let mut sell = buy(w, json!(0.1));
    sell["side"] = json!("SELL");
    sell["stopLoss"] = json!("1.08000");
    let (s, b) = open(&t, &c.token, sell).await;
    assert_eq!((s, fields(&b)), (422, vec!["stopLoss".to_owned()]));
    // someone else's wallet is not found
    let other = t.customer().create().await;
    let (s, _) = open(&t, &other.token, buy(w, json!(0.1))).await;
    assert_eq!(s, 404);
    let all = position_repo::with_status(t.app.db().conn(), "OPEN").await.unwrap();
    assert!(all.is_empty());
    assert_eq!(money_of(&balance(&t, &admin, w).await["balance"]), m("1000"));
    // the same request within the limits fills
    let (s, b) = open(&t, &c.token, buy(w, json!(0.1))).await;
    assert_eq!(s, 200, "{b}");
    assert_verified(t.app.db()).await;
}

#[tokio::test]
async fn a_eur_wallet_trades_usdjpy_along_its_conversion_path() {
    let t = TestApp::spawn().await;
    let admin = t.admin_token().await;
    instrument(&t, &admin, usdjpy()).await;
    rate(&t, &admin, "EUR", "USD", "1.085").await;
    rate(&t, &admin, "USD", "JPY", "150").await;
    let (s, b) = post(
        &t,
        &admin,
        "/api/conversions",
        json!({"source": "JPY", "target": "EUR", "path": "JPY,USD,EUR"}),
    )
    .await;
    assert_eq!(s, 200, "{b}");
    quote(&t, &admin, "USDJPY", "150.000", "150.010").await;
    let c = t.customer().admin(&admin).with_wallet("EUR", 5_000).create().await;
    let w = c.wallets[0];
    let body = json!({"accountId": w, "symbol": "USDJPY", "side": "BUY", "size": 1});
    let (s, p) = open(&t, &c.token, body).await;
    assert_eq!(s, 200, "{p}");
    // 1 lot × 100000 / 200 = 500 USD = 500 / 1.085 EUR, rounded once
    assert_eq!(p["margin"], "460.82949309");
    quote(&t, &admin, "USDJPY", "151.000", "151.010").await;
    let id = p["id"].as_i64().unwrap();
    let (s, closed) = post_empty(&t, &c.token, &format!("/api/positions/{id}/close")).await;
    assert_eq!(s, 200, "{closed}");
    // (151.000 − 150.010) × 100000 = 99000 JPY = 660 USD = 608.29493087557... EUR
    assert_eq!(closed["closedPL"], json!(99000.0));
    assert_eq!(closed["closedPLInAccountCurrency"], json!(608.29493088));
    assert_eq!(money_of(&balance(&t, &admin, w).await["balance"]), m("5608.29493088"));
    assert_eq!(account_balance(&t, "house:trading_pnl:EUR").await, m("-608.29493088"));
    assert_verified(t.app.db()).await;
}

#[tokio::test]
async fn staff_open_with_an_audited_price_and_correct_with_ledger_transfers() {
    let t = TestApp::spawn().await;
    let admin = t.admin_token().await;
    eurusd_market(&t, &admin).await;
    let c = t.customer().admin(&admin).with_wallet("USD", 10_000).create().await;
    let w = c.wallets[0];
    let support = t.token_for(Role::Support).await;
    let (s, _) = open(&t, &support, buy(w, json!(1))).await;
    assert_eq!(s, 403);
    let mut body = buy(w, json!(1));
    body["openPrice"] = json!("1.08000");
    let (s, p) = open(&t, &admin, body).await;
    assert_eq!(s, 200, "{p}");
    assert_eq!((p["status"].as_str(), p["openPrice"].as_str()), (Some("OPEN"), Some("1.08000")));
    assert_eq!(audited(&t, "position.open").await, 1);
    let id = p["id"].as_i64().unwrap();
    // a client may not correct prices
    let (s, b) =
        put(&t, &c.token, &format!("/api/positions/{id}"), json!({"openPrice": 1.07})).await;
    assert_eq!((s, fields(&b)), (422, vec!["openPrice".to_owned()]));
    // the client moves its stops; null removes one
    let (s, b) = put(
        &t,
        &c.token,
        &format!("/api/positions/{id}"),
        json!({"stopLoss": 1.07, "takeProfit": 1.1, "tailingStopLossPct": 0.5}),
    )
    .await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(
        (b["stopLoss"].as_f64(), b["tailingStopLossPct"].as_str()),
        (Some(1.07), Some("0.5"))
    );
    let (s, b) =
        put(&t, &c.token, &format!("/api/positions/{id}"), json!({"stopLoss": null})).await;
    assert_eq!(s, 200, "{b}");
    assert!(b["stopLoss"].is_null() && b["takeProfit"].as_f64() == Some(1.1));
    let (s, b) =
        put(&t, &c.token, &format!("/api/positions/{id}"), json!({"stopLoss": 1.09})).await;
    assert_eq!((s, fields(&b)), (422, vec!["stopLoss".to_owned()]));
    let (s, closed) = post_empty(&t, &admin, &format!("/api/positions/{id}/close")).await;
    assert_eq!(s, 200, "{closed}");
    assert_eq!(closed["closedReason"], "STAFF");
    // (1.08500 − 1.08000) × 100000 = 500
    assert_eq!(closed["closedPLInAccountCurrency"], json!(500.0));
    assert_eq!(money_of(&balance(&t, &admin, w).await["balance"]), m("10500"));
    // staff correct the close price (P/L 400) and charge a commission of 5: both posted
    let (s, fixed) = put(
        &t,
        &admin,
        &format!("/api/positions/{id}"),
        json!({"closePrice": 1.084, "commission": 5}),
    )
    .await;
    assert_eq!(s, 200, "{fixed}");
    assert_eq!(
        (fixed["closedPLInAccountCurrency"].as_f64(), fixed["commission"].as_f64()),
        (Some(400.0), Some(5.0))
    );
    assert_eq!(money_of(&balance(&t, &admin, w).await["balance"]), m("10395"));
    assert_eq!(account_balance(&t, "house:trading_pnl:USD").await, m("-395"));
    assert_eq!(audited(&t, "position.correct").await, 1);
    // a client's stop edit on a closed position is refused
    let (s, _) = put(&t, &c.token, &format!("/api/positions/{id}"), json!({"stopLoss": 1.0})).await;
    assert_eq!(s, 422);
    assert_verified(t.app.db()).await;
}

#[tokio::test]
async fn pending_orders_are_listed_updated_and_cancelled() {
    let t = TestApp::spawn().await;
    let admin = t.admin_token().await;
    eurusd_market(&t, &admin).await;
    let c = t.customer().admin(&admin).with_wallet("USD", 10_000).create().await;
    let w = c.wallets[0];
    let mut body = buy(w, json!(0.5));
    body["openPrice"] = "1.08000".into();
    body["stopLoss"] = "1.07000".into();
    let (s, p) = open(&t, &c.token, body).await;
    assert_eq!(s, 200, "{p}");
    assert_eq!((p["status"].as_str(), p["openPrice"].as_str()), (Some("PENDING"), Some("1.08000")));
    // a pending order moves no money
    assert_eq!(money_of(&balance(&t, &admin, w).await["balance"]), m("10000"));
    let mut stop = buy(w, json!(0.5));
    stop["openPrice"] = "1.09000".into();
    let (s, _) = open(&t, &c.token, stop).await;
    assert_eq!(s, 200);
    let (s, list) = get(&t, &c.token, "/api/orders?statuses=PENDING").await;
    assert_eq!(s, 200, "{list}");
    assert_eq!(list["count"], 2);
    let types: Vec<&str> =
        list["orders"].as_array().unwrap().iter().map(|o| o["type"].as_str().unwrap()).collect();
    assert_eq!(types, ["STOP", "LIMIT"]);
    let limit_id = list["orders"][1]["id"].as_i64().unwrap();
    let (s, b) =
        put(&t, &c.token, &format!("/api/orders/{limit_id}"), json!({"stopPrice": "1.1"})).await;
    assert_eq!((s, fields(&b)), (422, vec!["stopPrice".to_owned()]));
    let (s, b) =
        put(&t, &c.token, &format!("/api/orders/{limit_id}"), json!({"limitPrice": "1.09500"}))
            .await;
    assert_eq!((s, fields(&b)), (422, vec!["limitPrice".to_owned()]), "{b}");
    let (s, b) = put(
        &t,
        &c.token,
        &format!("/api/orders/{limit_id}"),
        json!({"limitPrice": "1.07500", "takeProfit": "1.09000"}),
    )
    .await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(
        (b["order"]["limitPrice"].as_str(), b["order"]["takeProfit"].as_str()),
        (Some("1.07500"), Some("1.09000"))
    );
    let (s, b) = get(&t, &admin, &format!("/api/orders/{limit_id}")).await;
    assert_eq!((s, b["order"]["status"].as_str()), (200, Some("PENDING")));
    let r =
        t.server.delete(&format!("/api/orders/{limit_id}")).authorization_bearer(&c.token).await;
    assert_eq!(r.status_code(), 200);
    assert_eq!(r.json::<Value>(), json!({"success": true}));
    let r =
        t.server.delete(&format!("/api/orders/{limit_id}")).authorization_bearer(&c.token).await;
    assert_eq!(r.status_code(), 409);
    let (_, pos) = get(&t, &c.token, &format!("/api/wallets/{w}/positions?status=CANCELLED")).await;
    assert_eq!(pos["count"], 1);
    let (s, b) = get(&t, &c.token, "/api/orders?types=BOGUS").await;
    assert_eq!((s, fields(&b)), (422, vec!["types".to_owned()]));
    assert_verified(t.app.db()).await;
}

#[tokio::test]
async fn random_opens_and_closes_keep_the_ledger_balanced() {
    let t = TestApp::spawn().await;
    let admin = t.admin_token().await;
    eurusd_market(&t, &admin).await;
    let c = t.customer().admin(&admin).with_wallet("USD", 100_000).create().await;
    let w = c.wallets[0];
    let mut rng = rand::rngs::StdRng::seed_from_u64(15);
    let mut open_ids: Vec<i64> = Vec::new();
    let mut mid: i64 = 108_500;
    for _ in 0..40 {
        mid += rng.random_range(-30..=30);
        let (bid, ask) = (
            format!("{:.5}", mid as f64 / 100_000.0),
            format!("{:.5}", (mid + 2) as f64 / 100_000.0),
        );
        quote(&t, &admin, "EURUSD", &bid, &ask).await;
        if open_ids.is_empty() || rng.random_bool(0.55) {
            let side = if rng.random_bool(0.5) { "BUY" } else { "SELL" };
            let size = format!("0.{:02}", rng.random_range(1..=99));
            let body = json!({"accountId": w, "symbol": "EURUSD", "side": side, "size": size});
            let (s, p) = open(&t, &c.token, body).await;
            assert_eq!(s, 200, "{p}");
            open_ids.push(p["id"].as_i64().unwrap());
        } else {
            let id = open_ids.swap_remove(rng.random_range(0..open_ids.len()));
            let (s, b) = post_empty(&t, &c.token, &format!("/api/positions/{id}/close")).await;
            assert_eq!(s, 200, "{b}");
        }
    }
    let closed = position_repo::with_status(t.app.db().conn(), "CLOSED").await.unwrap();
    let realised: i64 = closed.iter().map(|p| p.closed_pl_account.unwrap()).sum();
    let wallet = money_of(&balance(&t, &admin, w).await["balance"]);
    assert_eq!(wallet, Money::from_minor(100_000 * 100_000_000 + realised));
    assert_eq!(account_balance(&t, "house:trading_pnl:USD").await, Money::from_minor(-realised));
    assert_verified(t.app.db()).await;
}
