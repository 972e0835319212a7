//! Live updates over a real WebSocket: quotes of the subscribed symbols only (from manual
//! quotes and a provider's push), the client's own position, order and wallet after the
//! commit and nobody else's, errors that name the field and keep the connection open, 401
//! and 403 before the upgrade, and the staff exposures stream.

use brokercrm_core::identity::auth::Role;
use brokercrm_store::repo::trading::positions as position_repo;
use chrono::SecondsFormat;
use serde_json::{Value, json};

use crate::helpers::TestApp;
use crate::helpers::http::{get, post, post_empty};
use crate::helpers::live::{Ws, refused};
use crate::helpers::money::balance;
use crate::helpers::trading::{eurusd_market, instrument, open, quote, usdjpy};

fn buy(wallet: i64, size: &str) -> Value {
    json!({"accountId": wallet, "symbol": "EURUSD", "side": "BUY", "size": size})
}

/// The quotes among `msgs`, as (symbol, bid).
fn quotes(msgs: &[Value]) -> Vec<(String, String)> {
    msgs.iter()
        .filter(|m| m["type"] == "quote")
        .map(|m| (m["symbol"].as_str().unwrap().to_owned(), m["bid"].as_str().unwrap().to_owned()))
        .collect()
}

#[tokio::test]
async fn subscribed_quotes_arrive_and_bad_messages_name_the_field() {
    let t = TestApp::spawn().await;
    let admin = t.admin_token().await;
    eurusd_market(&t, &admin).await;
    instrument(&t, &admin, usdjpy()).await;
    quote(&t, &admin, "USDJPY", "150.100", "150.120").await;
    let c = t.customer().admin(&admin).with_wallet("USD", 1_000).create().await;
    let base = t.listen().await;
    // A browser's way: the token in the query.
    let mut ws =
        Ws::open(&format!("{base}/api/trading/stream?accessToken={}", c.token), None).await;

    ws.send(json!({"type": "subscribe", "symbols": ["EURUSD"]})).await;
    let r = ws.next().await;
    assert_eq!(r, json!({"type": "subscribed", "added": ["EURUSD"], "symbols": ["EURUSD"]}));
    // The stored quote first, at the instrument's decimals.
    let q = ws.next().await;
    assert_eq!((q["type"].as_str(), q["symbol"].as_str()), (Some("quote"), Some("EURUSD")));
    assert_eq!((q["bid"].as_str(), q["ask"].as_str()), (Some("1.08500"), Some("1.08510")));

    // Manual quotes: the subscribed symbol's arrives, the other's never.
    quote(&t, &admin, "USDJPY", "150.200", "150.220").await;
    quote(&t, &admin, "EURUSD", "1.0852", "1.0853").await;
    let (q, before) = ws.until("quote").await;
    assert!(before.is_empty(), "{before:?}");
    assert_eq!(
        (q["symbol"].as_str(), q["bid"].as_str(), q["ask"].as_str()),
        (Some("EURUSD"), Some("1.08520"), Some("1.08530"))
    );
    let now = brokercrm_app::platform::clock::Clock::now(&*t.clock);
    assert_eq!(q["time"], now.to_rfc3339_opts(SecondsFormat::Micros, true));

    // A provider's push.
    let at = now + chrono::Duration::milliseconds(500);
    let ticks = json!({"ticks": [
        {"symbol": "EURUSD", "bid": "1.08600", "ask": "1.08610", "time": at.to_rfc3339()},
        {"symbol": "USDJPY", "bid": "150.300", "ask": "150.320", "time": at.to_rfc3339()}
    ]});
    let (s, b) = post(&t, &admin, "/api/prices/ticks", ticks).await;
    assert_eq!((s, &b), (200, &json!({"accepted": 2, "dropped": 0})), "{b}");
    let (q, _) = ws.until("quote").await;
    assert_eq!((q["symbol"].as_str(), q["bid"].as_str()), (Some("EURUSD"), Some("1.08600")));

    // Errors name the field; the connection stays open.
    ws.send(json!({"type": "subscribe", "symbols": ["EURUSD", "NOPE"]})).await;
    let e = ws.next().await;
    assert_eq!(e["type"], "error", "{e}");
    assert_eq!(e["error"]["code"], "validation_failed");
    assert_eq!(e["error"]["details"]["fields"][0]["field"], "symbols[1]");
    ws.send(json!({"type": "dance"})).await;
    let e = ws.next().await;
    assert_eq!(e["error"]["details"]["fields"][0]["field"], "type", "{e}");
    ws.send(json!({"type": "subscribe", "symbols": "EURUSD"})).await;
    let e = ws.next().await;
    assert_eq!(e["error"]["details"]["fields"][0]["field"], "symbols", "{e}");
    let before = ws.sync().await;
    assert!(quotes(&before).is_empty(), "the refused USDJPY was not subscribed: {before:?}");

    // Unsubscribed: no more quotes.
    ws.send(json!({"type": "unsubscribe", "symbols": ["EURUSD"]})).await;
    assert_eq!(
        ws.next().await,
        json!({"type": "unsubscribed", "removed": ["EURUSD"], "symbols": []})
    );
    quote(&t, &admin, "EURUSD", "1.0870", "1.0871").await;
    let before = ws.sync().await;
    assert!(quotes(&before).is_empty(), "{before:?}");
}

#[tokio::test]
async fn a_clients_own_position_order_and_wallet_arrive_after_the_commit() {
    let t = TestApp::spawn().await;
    let admin = t.admin_token().await;
    eurusd_market(&t, &admin).await;
    let c = t.customer().admin(&admin).with_wallet("USD", 10_000).create().await;
    let other = t.customer().admin(&admin).with_wallet("USD", 10_000).create().await;
    let w = c.wallets[0];
    let base = t.listen().await;
    let mut ws = Ws::open(&format!("{base}/api/trading/stream"), Some(&c.token)).await;
    let mut theirs = Ws::open(&format!("{base}/api/trading/stream"), Some(&other.token)).await;
    assert!(ws.sync().await.is_empty());
    assert!(theirs.sync().await.is_empty());

    // A refused open commits nothing and announces nothing.
    let (s, _) = open(&t, &c.token, buy(w, "0.015")).await;
    assert_eq!(s, 422);
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    assert!(ws.sync().await.is_empty());

    let (s, p) = open(&t, &c.token, buy(w, "1")).await;
    assert_eq!(s, 200, "{p}");
    let id = p["id"].as_i64().unwrap();
    let (m, before) = ws.until("position").await;
    assert!(before.is_empty(), "{before:?}");
    // When it arrives, it is committed.
    let row = position_repo::find(t.app.db().conn(), id).await.unwrap().unwrap();
    assert_eq!(row.status, "OPEN");
    assert_eq!(m["position"]["id"], id);
    assert_eq!(m["position"]["status"], "OPEN");
    assert_eq!(m["position"]["openPrice"], p["openPrice"]);
    let o = ws.next().await;
    assert_eq!((o["type"].as_str(), o["order"]["positionId"].as_i64()), (Some("order"), Some(id)));
    assert_eq!(o["order"]["status"], "FILLED");
    let wm = ws.next().await;
    assert_eq!(wm["type"], "wallet", "{wm}");
    // The same figures as the balance view.
    let b = balance(&t, &admin, w).await;
    assert_eq!(wm["wallet"]["id"], w);
    for f in ["balance", "credit", "equity", "margin", "freeMargin", "marginLevel"] {
        assert_eq!(wm["wallet"][f], b[f], "{f}: {wm} vs {b}");
    }
    assert_ne!(wm["wallet"]["margin"], "0");

    // Closing: the CLOSED position, its closing order, the wallet.
    let (s, closed) = post_empty(&t, &c.token, &format!("/api/positions/{id}/close")).await;
    assert_eq!(s, 200, "{closed}");
    let (m, _) = ws.until("position").await;
    assert_eq!(
        (m["position"]["id"].as_i64(), m["position"]["status"].as_str()),
        (Some(id), Some("CLOSED"))
    );
    let (wm, _) = ws.until("wallet").await;
    assert_eq!(wm["wallet"]["margin"], "0");
    assert_eq!(wm["wallet"]["balance"], balance(&t, &admin, w).await["balance"]);

    // Another customer's stream saw none of it.
    let seen = theirs.sync().await;
    assert!(seen.is_empty(), "another customer's events leaked: {seen:?}");
    // And sees its own.
    let (s, _) = open(&t, &other.token, buy(other.wallets[0], "0.1")).await;
    assert_eq!(s, 200);
    let (m, _) = theirs.until("position").await;
    assert_eq!(m["position"]["accountId"], other.wallets[0]);
    let mine = ws.sync().await;
    assert!(mine.iter().all(|m| m["type"] == "quote"), "{mine:?}");
}

#[tokio::test]
async fn a_stream_is_authenticated_before_the_upgrade() {
    let t = TestApp::spawn().await;
    let admin = t.admin_token().await;
    let customer = t.token_for(Role::Customer).await;
    let support = t.token_for(Role::Support).await;
    let base = t.listen().await;
    let client = format!("{base}/api/trading/stream");
    let risk = format!("{base}/api/risk/stream");
    assert_eq!(refused(&client, None).await, 401);
    assert_eq!(refused(&client, Some("not-a-token")).await, 401);
    assert_eq!(refused(&format!("{client}?accessToken=nope"), None).await, 401);
    assert_eq!(refused(&risk, None).await, 401);
    assert_eq!(refused(&risk, Some(&customer)).await, 403);
    assert_eq!(refused(&risk, Some(&support)).await, 403);
    assert_eq!(refused(&format!("{risk}?group=nope"), Some(&admin)).await, 422);
    assert_eq!(refused(&client, Some(&customer)).await, 101);
    // Another customer's wallet is not found.
    let c = t.customer().admin(&admin).with_wallet("USD", 10).create().await;
    let url = format!("{client}?walletId={}", c.wallets[0]);
    assert_eq!(refused(&url, Some(&customer)).await, 404);
    assert_eq!(refused(&url, Some(&c.token)).await, 101);
    // Not a handshake: the API's error body.
    let (s, b) = get(&t, &customer, "/api/trading/stream").await;
    assert_eq!((s, b["error"]["code"].as_str()), (400, Some("bad_request")), "{b}");
    let r = t.server.get("/api/trading/stream").await;
    assert_eq!(r.status_code().as_u16(), 401);
}

#[tokio::test]
async fn staff_follow_the_exposures() {
    let t = TestApp::spawn().await;
    let admin = t.admin_token().await;
    eurusd_market(&t, &admin).await;
    let risk_token = t.token_for(Role::Risk).await;
    let c = t.customer().admin(&admin).with_wallet("USD", 10_000).create().await;
    let base = t.listen().await;
    let mut ws = Ws::open(&format!("{base}/api/risk/stream"), Some(&risk_token)).await;
    let first = ws.next().await;
    assert_eq!(first, json!({"type": "exposures", "exposures": []}));

    let (s, _) = open(&t, &c.token, buy(c.wallets[0], "2")).await;
    assert_eq!(s, 200);
    let (m, _) = ws.until("exposures").await;
    let (_, rest) = get(&t, &risk_token, "/api/risk/exposures").await;
    assert_eq!(m["exposures"], rest["exposures"], "the same body as the operation");
    assert_eq!(m["exposures"][0]["symbol"], "EURUSD");
    assert_eq!(m["exposures"][0]["longLots"].as_f64(), Some(2.0));
    // A price move changes the broker's floating P/L: sent within the period.
    quote(&t, &admin, "EURUSD", "1.0900", "1.0901").await;
    let (m2, _) = ws.until("exposures").await;
    assert_ne!(
        m2["exposures"][0]["brokerFloatingProfitLoss"],
        m["exposures"][0]["brokerFloatingProfitLoss"]
    );
    ws.send(json!({"type": "ping"})).await;
    let (_, _) = ws.until("pong").await;
}

#[tokio::test]
async fn a_stop_loss_and_a_pending_fill_fired_by_the_evaluator_arrive() {
    use brokercrm_app::trading::triggers::Evaluator;
    let t = TestApp::spawn().await;
    let admin = t.admin_token().await;
    eurusd_market(&t, &admin).await;
    let c = t.customer().admin(&admin).with_wallet("USD", 10_000).create().await;
    let w = c.wallets[0];
    let mut sl = buy(w, "1");
    sl["stopLoss"] = json!("1.08300");
    let (s, p) = open(&t, &c.token, sl).await;
    assert_eq!(s, 200, "{p}");
    let long = p["id"].as_i64().unwrap();
    let mut limit = buy(w, "0.5");
    limit["openPrice"] = json!("1.08200");
    let (s, p) = open(&t, &c.token, limit).await;
    assert_eq!((s, p["status"].as_str()), (200, Some("PENDING")), "{p}");
    let pending = p["id"].as_i64().unwrap();

    let base = t.listen().await;
    let mut ws = Ws::open(&format!("{base}/api/trading/stream?walletId={w}"), Some(&c.token)).await;
    assert!(ws.sync().await.is_empty());
    let mut ev = Evaluator::new("stream");
    assert!(ev.pass(&t.app).await.unwrap().closed.is_empty());
    // A gap under both: the limit fills and the stop loss closes, each its own commit.
    quote(&t, &admin, "EURUSD", "1.08100", "1.08110").await;
    ev.pass(&t.app).await.unwrap();
    let mut seen = std::collections::BTreeMap::new();
    while seen.len() < 2 {
        let (m, _) = ws.until("position").await;
        seen.insert(m["position"]["id"].as_i64().unwrap(), m["position"]["status"].clone());
    }
    assert_eq!(seen.get(&long), Some(&json!("CLOSED")), "{seen:?}");
    assert_eq!(seen.get(&pending), Some(&json!("OPEN")), "{seen:?}");
    let (wm, _) = ws.until("wallet").await;
    assert_eq!(wm["wallet"]["id"], w);
}
