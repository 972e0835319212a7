//! `brokercrm demo` gives the demo customer a real and a demo wallet, each with open
//! positions and closed history made through the trading use cases (gains and losses, the
//! balances explained by the deposit and the realised P/L, the ledger verified), a pending
//! order on the real one, and nothing more when it runs again.

use brokercrm_core::Money;
use chrono::TimeZone;
use serde_json::Value;

use crate::helpers::TestApp;
use crate::helpers::http::get;
use crate::helpers::money::{assert_verified, balance, m, money_of};

async fn positions(t: &TestApp, admin: &str, wallet: i64, status: &str) -> Vec<Value> {
    let url = format!("/api/positions?accountId={wallet}&statuses={status}&limit=100");
    let (s, b) = get(t, admin, &url).await;
    assert_eq!(s, 200, "{b}");
    b["positions"].as_array().unwrap().clone()
}

/// The deposit plus every realised P/L equals the wallet's balance (no group commissions).
async fn explained(t: &TestApp, admin: &str, wallet: i64, deposit: &str, closed: &[Value]) {
    let pnl = closed.iter().map(|p| m(&p["closedPLInAccountCurrency"].to_string()));
    let want = Money::checked_sum(std::iter::once(m(deposit)).chain(pnl)).unwrap();
    assert_eq!(money_of(&balance(t, admin, wallet).await["balance"]), want);
}

#[tokio::test]
async fn the_demo_customer_trades_on_a_real_and_a_demo_wallet_once() {
    let t = TestApp::spawn().await;
    // A Wednesday noon UTC: every demo market trades.
    t.clock.set(chrono::Utc.with_ymd_and_hms(2025, 6, 11, 12, 0, 0).unwrap());
    let first =
        serde_json::to_value(brokercrm_app::demo::load(&t.app, "http://x").await.unwrap()).unwrap();
    let again =
        serde_json::to_value(brokercrm_app::demo::load(&t.app, "http://x").await.unwrap()).unwrap();
    assert_eq!(first["trading"], again["trading"], "the same wallets");
    let real = first["trading"]["real_wallet_id"].as_i64().unwrap();
    let demo = first["trading"]["demo_wallet_id"].as_i64().unwrap();
    let admin = t.admin_token().await;

    for (w, is_demo) in [(real, false), (demo, true)] {
        let (_, b) = get(&t, &admin, &format!("/api/wallets/{w}")).await;
        let w = &b["wallet"];
        assert_eq!(w["isDemo"], is_demo, "{b}");
        assert_eq!(w["customer"]["email"], "demo.customer@brokercrm.local", "{b}");
        assert_eq!(w["currency"], "USD");
    }
    let open = positions(&t, &admin, real, "OPEN").await;
    let mut symbols: Vec<&str> = open.iter().map(|p| p["symbol"].as_str().unwrap()).collect();
    symbols.sort_unstable();
    assert_eq!(symbols, ["BTCUSD", "EURUSD", "US500", "USDJPY", "XAUUSD"]);
    let closed = positions(&t, &admin, real, "CLOSED").await;
    assert_eq!(closed.len(), 4);
    let pl: Vec<f64> =
        closed.iter().map(|p| p["closedPLInAccountCurrency"].as_f64().unwrap()).collect();
    assert!(pl.iter().any(|x| *x > 0.0) && pl.iter().any(|x| *x < 0.0), "gains and losses: {pl:?}");
    assert!(closed.iter().all(|p| p["closedReason"] == "CLIENT"));
    assert_eq!(positions(&t, &admin, real, "PENDING").await.len(), 1);
    assert_eq!(positions(&t, &admin, demo, "OPEN").await.len(), 2);
    let demo_closed = positions(&t, &admin, demo, "CLOSED").await;
    assert_eq!(demo_closed.len(), 2);

    explained(&t, &admin, real, "25000", &closed).await;
    explained(&t, &admin, demo, "100000", &demo_closed).await;
    // The open positions' margin shows in the wallet's figures.
    let (_, b) = get(&t, &admin, &format!("/api/wallets/{real}")).await;
    assert!(money_of(&b["wallet"]["margin"]).is_positive(), "{b}");
    assert_verified(t.app.db()).await;
}
