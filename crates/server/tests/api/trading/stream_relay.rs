//! Live updates beyond the committing use case (the live relay): a staff deposit, a
//! withdrawal and a swap charge reach the owner's stream as `wallet` messages with the new
//! figures, and nobody else's; with two instances on one database, a tick pushed to, a
//! position opened through and a deposit posted by the other instance all reach a client
//! connected to this one, each once.

use std::time::Duration;

use brokercrm_app::trading::swaps::rollover;
use serde_json::{Value, json};

use crate::helpers::TestApp;
use crate::helpers::live::Ws;
use crate::helpers::money::{balance, currency_group, manual_ok};
use crate::helpers::trading::{eurusd_market, open, quote};
use crate::trading::swaps::{next_monday, swaps_disabled};

/// The messages of `kind` among `msgs`.
fn of_kind<'a>(msgs: &'a [Value], kind: &str) -> Vec<&'a Value> {
    msgs.iter().filter(|m| m["type"] == kind).collect()
}

/// Waits out the relay's reads of what was just committed, then returns what arrived.
async fn settled(ws: &mut Ws) -> Vec<Value> {
    tokio::time::sleep(Duration::from_millis(500)).await;
    ws.sync().await
}

#[tokio::test]
async fn money_movements_reach_the_owners_stream_as_wallet_figures() {
    let t = TestApp::spawn().await;
    let admin = t.admin_token().await;
    eurusd_market(&t, &admin).await;
    let c = t.customer().admin(&admin).with_wallet("USD", 1_000).create().await;
    let other = t.customer().admin(&admin).with_wallet("USD", 1_000).create().await;
    let w = c.wallets[0];
    let base = t.listen().await;
    let mut ws = Ws::open(&format!("{base}/api/trading/stream"), Some(&c.token)).await;
    let mut theirs = Ws::open(&format!("{base}/api/trading/stream"), Some(&other.token)).await;
    assert!(settled(&mut ws).await.is_empty());

    // A staff deposit: the wallet's new balance, once.
    manual_ok(&t, &admin, w, json!({"type": "DEPOSIT", "amount": 250})).await;
    let (m, before) = ws.until("wallet").await;
    assert!(before.is_empty(), "{before:?}");
    assert_eq!(
        (m["wallet"]["id"].as_i64(), m["wallet"]["balance"].as_str()),
        (Some(w), Some("1250"))
    );
    let b = balance(&t, &admin, w).await;
    for f in ["balance", "credit", "equity", "freeMargin"] {
        assert_eq!(m["wallet"][f], b[f], "{f}: {m} vs {b}");
    }
    assert!(settled(&mut ws).await.is_empty(), "sent once");

    // A withdrawal and a credit bonus in quick succession: the figures as they end.
    manual_ok(&t, &admin, w, json!({"type": "WITHDRAWAL", "amount": 50})).await;
    manual_ok(&t, &admin, w, json!({"type": "BONUS", "amount": 5, "addToCredit": true})).await;
    let seen = settled(&mut ws).await;
    let last = of_kind(&seen, "wallet").last().copied().cloned().expect("a wallet message");
    assert_eq!(
        (last["wallet"]["balance"].as_str(), last["wallet"]["credit"].as_str()),
        (Some("1200"), Some("5"))
    );

    // A swap charge on an open position.
    let (s, p) =
        open(&t, &c.token, json!({"accountId": w, "symbol": "EURUSD", "side": "BUY", "size": "1"}))
            .await;
    assert_eq!(s, 200, "{p}");
    let opened = settled(&mut ws).await;
    assert_eq!(of_kind(&opened, "position").len(), 1, "the open, once: {opened:?}");
    let group = currency_group(&t, &admin, "USD").await;
    swaps_disabled(&t, &admin, group, false).await;
    let r = rollover(&t.app, next_monday()).await.unwrap();
    assert_eq!(r.charged.len(), 1, "{r:?}");
    let seen = settled(&mut ws).await;
    let last =
        of_kind(&seen, "wallet").last().copied().cloned().expect("a wallet message after the swap");
    assert_eq!(last["wallet"]["balance"], balance(&t, &admin, w).await["balance"]);
    assert_ne!(last["wallet"]["balance"], "1200", "the swap was charged: {seen:?}");

    // The other customer's stream heard none of it.
    let leaked = theirs.sync().await;
    assert!(leaked.is_empty(), "{leaked:?}");
}

#[tokio::test]
async fn another_instances_ticks_trades_and_deposits_reach_this_instances_stream() {
    let t = TestApp::spawn().await;
    let admin = t.admin_token().await;
    eurusd_market(&t, &admin).await;
    let c = t.customer().admin(&admin).with_wallet("USD", 10_000).create().await;
    let w = c.wallets[0];
    let base = t.listen().await;
    let b = t.another_instance().await;
    let mut ws = Ws::open(&format!("{base}/api/trading/stream"), Some(&c.token)).await;
    ws.send(json!({"type": "subscribe", "symbols": ["EURUSD"]})).await;
    let (_, _) = ws.until("subscribed").await;
    let (q, _) = ws.until("quote").await;
    assert_eq!(q["bid"], "1.08500");
    assert!(settled(&mut ws).await.is_empty());

    // A manual quote through the other instance.
    quote(&b, &admin, "EURUSD", "1.0852", "1.0853").await;
    let (q, before) = ws.until("quote").await;
    assert!(before.is_empty(), "{before:?}");
    assert_eq!((q["bid"].as_str(), q["ask"].as_str()), (Some("1.08520"), Some("1.08530")));
    assert!(of_kind(&settled(&mut ws).await, "quote").is_empty(), "the quote once");

    // A position opened through the other instance: the position, its order, the wallet.
    let (s, p) =
        open(&b, &c.token, json!({"accountId": w, "symbol": "EURUSD", "side": "BUY", "size": "1"}))
            .await;
    assert_eq!(s, 200, "{p}");
    let (m, _) = ws.until("position").await;
    assert_eq!(
        (m["position"]["id"].clone(), m["position"]["status"].as_str()),
        (p["id"].clone(), Some("OPEN"))
    );
    let o = ws.next().await;
    assert_eq!((o["type"].as_str(), &o["order"]["positionId"]), (Some("order"), &p["id"]));
    let (wm, _) = ws.until("wallet").await;
    assert_ne!(wm["wallet"]["margin"], "0");
    let again = settled(&mut ws).await;
    assert!(of_kind(&again, "position").is_empty(), "the position once: {again:?}");

    // Closed there too.
    let id = p["id"].as_i64().unwrap();
    let r =
        b.server.post(&format!("/api/positions/{id}/close")).authorization_bearer(&c.token).await;
    assert_eq!(r.status_code().as_u16(), 200);
    let (m, _) = ws.until("position").await;
    assert_eq!(m["position"]["status"], "CLOSED");

    // A deposit posted by the other instance.
    manual_ok(&b, &admin, w, json!({"type": "DEPOSIT", "amount": 1})).await;
    let expected = balance(&t, &admin, w).await["balance"].clone();
    loop {
        let (m, _) = ws.until("wallet").await;
        if m["wallet"]["balance"] == expected {
            break;
        }
    }
}
