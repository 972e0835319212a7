//! Risk (statistics, exposures) and Watchlists: exact figures over open and closed positions
//! by group and demo/real, 422 naming the field on bad input, staff only; a wallet's
//! watchlist through bearer token and API key.

use brokercrm_core::identity::auth::Role;
use serde_json::{Value, json};

use crate::helpers::TestApp;
use crate::helpers::assert::field_of;
use crate::helpers::http::{delete, get, get_as_wallet, post, post_empty};
use crate::helpers::money::funded;
use crate::helpers::trading::{eurusd_market, open, quote};

fn trade(wallet: i64, side: &str, size: &str) -> Value {
    json!({"accountId": wallet, "symbol": "EURUSD", "side": side, "size": size})
}

#[tokio::test]
async fn statistics_and_exposures_are_exact_by_group_and_demo() {
    let t = TestApp::spawn().await;
    let (admin, cust, _, w) = funded(&t, 10_000).await;
    eurusd_market(&t, &admin).await;
    // a long of 1.5 lots and a short of 0.5 stay open; a long of 1 lot closes at +100
    let (s, _) = open(&t, &cust, trade(w, "BUY", "1.5")).await;
    assert_eq!(s, 200);
    let (_, short) = open(&t, &cust, trade(w, "SELL", "0.5")).await;
    assert_eq!(short["status"], "OPEN");
    let (_, closing) = open(&t, &cust, trade(w, "BUY", "1")).await;
    quote(&t, &admin, "EURUSD", "1.08610", "1.08620").await;
    let id = closing["id"].as_i64().unwrap();
    let (s, c) = post_empty(&t, &cust, &format!("/api/positions/{id}/close")).await;
    assert_eq!(s, 200, "{c}");

    let (s, e) = get(&t, &admin, "/api/risk/exposures").await;
    assert_eq!(s, 200, "{e}");
    let x = &e["exposures"][0];
    assert_eq!(e["exposures"].as_array().unwrap().len(), 1, "{e}");
    assert_eq!(
        (x["symbol"].as_str(), x["longLots"].as_f64(), x["shortLots"].as_f64()),
        (Some("EURUSD"), Some(1.5), Some(0.5))
    );
    assert_eq!((x["netLots"].as_f64(), x["grossLots"].as_f64()), (Some(1.0), Some(2.0)));
    // notional: 150000 × 1.08610 = 162915 long; 50000 × 1.08620 = 54310 short (USD)
    assert_eq!(
        (x["notionalLong"].as_f64(), x["notionalShort"].as_f64()),
        (Some(162915.0), Some(54310.0))
    );
    // clients: long +(1.08610 − 1.08510)·150000 = 150, short −(1.08620 − 1.08500)·50000 = −60
    assert_eq!(x["brokerFloatingProfitLoss"].as_f64(), Some(-90.0));
    assert_eq!(x["currency"], "USD");

    let (s, st) = get(&t, &admin, "/api/risk/statistics?isDemo=false").await;
    assert_eq!(s, 200, "{st}");
    let b = &st["baseStats"];
    assert_eq!((b["openPositions"].as_u64(), b["closedPositions"].as_u64()), (Some(2), Some(1)));
    assert_eq!((b["openVolume"].as_f64(), b["totalVolume"].as_f64()), (Some(2.0), Some(3.0)));
    assert_eq!(b["clientsTrading"].as_u64(), Some(1));
    assert_eq!(b["brokerProfitLoss"].as_f64(), Some(-100.0));
    assert_eq!(st["sumProfitLoss"].as_f64(), Some(-100.0));
    assert_eq!(b["brokerFloatingProfitLoss"].as_f64(), Some(-90.0));
    assert_eq!(st["profitLossByMonth"].as_array().unwrap().len(), 1, "{st}");
    assert_eq!(st["profitLossByMonth"][0]["profitLoss"].as_f64(), Some(-100.0));
    assert_eq!(st["trendingInstruments"][0]["symbol"], "EURUSD");
    assert_eq!(st["trendingInstruments"][0]["positions"].as_u64(), Some(3));
    assert_eq!(st["lotsPerInstrument"][0]["lots"].as_f64(), Some(2.0));

    // demo only: nothing
    let (_, st) = get(&t, &admin, "/api/risk/statistics?isDemo=true").await;
    assert_eq!(st["baseStats"]["openPositions"].as_u64(), Some(0));
    let (_, e) = get(&t, &admin, "/api/risk/exposures?isDemo=true").await;
    assert_eq!(e["exposures"], json!([]));
    // by the wallet's group (name) and by an unknown one
    let (s, e) = get(&t, &admin, "/api/risk/exposures?group=USD").await;
    assert_eq!(s, 200, "{e}");
    assert_eq!(e["exposures"].as_array().unwrap().len(), 1);
    let (s, e) = get(&t, &admin, "/api/risk/exposures?group=NOPE").await;
    assert_eq!(s, 422, "{e}");
    assert_eq!(field_of(&e), "group");
    // staff without ReadPositions and clients are refused
    let support = t.token_for(Role::Support).await;
    let (s, _) = get(&t, &support, "/api/risk/statistics").await;
    assert_eq!(s, 403);
    let (s, _) = get(&t, &cust, "/api/risk/exposures").await;
    assert_eq!(s, 403);
}

#[tokio::test]
async fn a_wallet_watchlist_by_bearer_and_header() {
    let t = TestApp::spawn().await;
    let (admin, cust, _, w) = funded(&t, 100).await;
    eurusd_market(&t, &admin).await;
    let (s, l) = get(&t, &cust, "/api/watchlist").await;
    assert_eq!((s, l), (200, json!({"watchlist": []})));
    let (s, b) = post(&t, &cust, "/api/watchlist", json!({"symbol": "EURUSD"})).await;
    assert_eq!((s, b), (200, json!({"success": true})));
    // twice is still once
    let (s, _) = post(&t, &cust, "/api/watchlist", json!({"symbol": "EURUSD"})).await;
    assert_eq!(s, 200);
    let (s, b) = post(&t, &cust, "/api/watchlist", json!({"symbol": "NOPE"})).await;
    assert_eq!(s, 422, "{b}");
    assert_eq!(field_of(&b), "symbol");
    let (_, l) = get(&t, &cust, "/api/watchlist").await;
    assert_eq!(l, json!({"watchlist": ["EURUSD"]}));
    // the client's wallet views carry it as `instrumentWatchlist`
    let (_, one) = get(&t, &cust, &format!("/api/me/wallets/{w}")).await;
    assert_eq!(one["instrumentWatchlist"], json!(["EURUSD"]), "{one}");
    let (_, all) = get(&t, &cust, "/api/me/wallets").await;
    let mine = all["wallets"].as_array().unwrap().iter().find(|x| x["id"] == json!(w)).unwrap();
    assert_eq!(mine["instrumentWatchlist"], json!(["EURUSD"]), "{all}");
    // the same wallet named in the header; staff must name it
    let r = get_as_wallet(&t, &admin, "/api/watchlist", &w.to_string()).await;
    assert_eq!(r, (200, json!({"watchlist": ["EURUSD"]})));
    let (s, b) = get(&t, &admin, "/api/watchlist").await;
    assert_eq!(s, 422, "{b}");
    assert_eq!(field_of(&b), "X-Wallet-Id");
    // another customer's wallet is not found
    let other = t.customer().admin(&admin).with_wallet("USD", 10).create().await;
    let r = get_as_wallet(&t, &other.token, "/api/watchlist", &w.to_string()).await;
    assert_eq!(r.0, 404, "{}", r.1);
    let (s, _) = delete(&t, &cust, "/api/watchlist/EURUSD").await;
    assert_eq!(s, 200);
    let (s, _) = delete(&t, &cust, "/api/watchlist/EURUSD").await;
    assert_eq!(s, 404);
    let (_, l) = get(&t, &cust, "/api/watchlist").await;
    assert_eq!(l, json!({"watchlist": []}));
    let (_, one) = get(&t, &cust, &format!("/api/me/wallets/{w}")).await;
    assert_eq!(one["instrumentWatchlist"], json!([]), "{one}");
}
