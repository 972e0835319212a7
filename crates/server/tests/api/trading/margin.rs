//! Wallet figures with open positions: equity with the floating P/L, hedged margin, free
//! margin and margin level in the balance views; the "only with open positions" filter; and
//! withdrawals and transfers that can never take the margin open positions need.

use serde_json::{Value, json};

use crate::helpers::TestApp;
use crate::helpers::assert::field_of;
use crate::helpers::http::{get, post};
use crate::helpers::money::{assert_verified, balance, funded, transfer};
use crate::helpers::trading::{eurusd_market, open};

fn trade(wallet: i64, side: &str) -> Value {
    json!({"accountId": wallet, "symbol": "EURUSD", "side": side, "size": 1})
}

#[tokio::test]
async fn hedged_margin_and_free_margin_guard_money_leaving() {
    let t = TestApp::spawn().await;
    let (admin, cust, uuid, w) = funded(&t, 1000).await;
    eurusd_market(&t, &admin).await;
    let other = crate::helpers::money::wallet(
        &t,
        &admin,
        &uuid,
        crate::helpers::money::currency_group(&t, &admin, "USD").await,
    )
    .await;
    let b = balance(&t, &admin, w).await;
    assert_eq!((b["margin"].as_str(), b["freeMargin"].as_str()), (Some("0"), Some("1000")));
    assert!(b["marginLevel"].is_null());

    let (s, p) = open(&t, &cust, trade(w, "BUY")).await;
    assert_eq!(s, 200, "{p}");
    // 1 lot: 100000 / 200 = 500 EUR = 542.5 USD; floating at the bid: −10
    let b = balance(&t, &admin, w).await;
    assert_eq!(
        (
            b["equity"].as_str(),
            b["margin"].as_str(),
            b["freeMargin"].as_str(),
            b["marginLevel"].as_str()
        ),
        (Some("990"), Some("542.5"), Some("447.5"), Some("182.48"))
    );
    // the opposite lot is fully covered: 2 × 500 EUR at 50 % = 500 EUR in all
    let (s, p) = open(&t, &cust, trade(w, "SELL")).await;
    assert_eq!(s, 200, "{p}");
    let b = balance(&t, &admin, w).await;
    assert_eq!(
        (b["equity"].as_str(), b["margin"].as_str(), b["freeMargin"].as_str()),
        (Some("980"), Some("542.5"), Some("437.5"))
    );
    // the lists carry the figures, and the filter keeps only the trading wallet
    let (s, list) = get(&t, &admin, "/api/wallets?onlyShowWalletsWithOpenPositions=true").await;
    assert_eq!(s, 200, "{list}");
    let ids: Vec<i64> =
        list["wallets"].as_array().unwrap().iter().map(|x| x["id"].as_i64().unwrap()).collect();
    assert_eq!(ids, [w]);
    assert_eq!(list["wallets"][0]["freeMargin"], "437.5");
    let (_, all) = get(&t, &admin, "/api/wallets").await;
    assert_eq!(all["wallets"].as_array().unwrap().len(), 2);

    let withdraw = |amount: i64| {
        json!({"provider": "test", "currency": "USD", "amount": amount,
        "walletAddress": "addr-1", "walletId": w})
    };
    let (s, b) = post(&t, &cust, "/api/me/withdrawals", withdraw(500)).await;
    assert_eq!((s, field_of(&b)), (422, "amount".to_owned()), "{b}");
    let (s, b) = post(&t, &cust, "/api/me/withdrawals", withdraw(400)).await;
    assert_eq!(s, 200, "{b}");
    // reserved 400: free margin 37.5 left
    let (s, b) = transfer(
        &t,
        &cust,
        None,
        json!({"sourceWalletId": w, "targetWalletId": other, "amount": 100}),
    )
    .await;
    assert_eq!((s, field_of(&b)), (422, "amount".to_owned()), "{b}");
    assert_eq!(balance(&t, &admin, other).await["balance"], "0");
    let (s, b) = transfer(
        &t,
        &cust,
        None,
        json!({"sourceWalletId": w, "targetWalletId": other, "amount": 30}),
    )
    .await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(balance(&t, &admin, other).await["balance"], "30");
    // the other wallet has no positions: its money moves freely
    let (s, b) = transfer(
        &t,
        &cust,
        None,
        json!({"sourceWalletId": other, "targetWalletId": w, "amount": 30}),
    )
    .await;
    assert_eq!(s, 200, "{b}");
    assert_verified(t.app.db()).await;
}
