//! The trading request path's cache of instruments, downtimes and trading groups
//! (`trading_cache_ttl`): a change made through this instance reaches the next order at once;
//! one made by another instance (here: straight in the database) within the TTL.

use std::time::Duration as StdDuration;

use brokercrm_store::ConnectionTrait;
use chrono::{Duration, Utc};
use serde_json::{Value, json};

use crate::helpers::TestApp;
use crate::helpers::assert::fields;
use crate::helpers::http::{delete, post, put};
use crate::helpers::money::currency_group;
use crate::helpers::trading::{eurusd, eurusd_market, open};

fn buy(wallet: i64) -> Value {
    json!({"accountId": wallet, "symbol": "EURUSD", "side": "BUY", "size": 0.01})
}

#[tokio::test]
async fn changes_through_this_instance_reach_the_next_order_at_once() {
    let t = TestApp::spawn_with(|c| c.trading_cache_ttl = StdDuration::from_secs(3600)).await;
    let admin = t.admin_token().await;
    eurusd_market(&t, &admin).await; // 1.08500 / 1.08510
    let c = t.customer().admin(&admin).with_wallet("USD", 10_000).create().await;
    let w = c.wallets[0];
    let (s, b) = open(&t, &c.token, buy(w)).await;
    assert_eq!((s, &b["openPrice"]), (200, &json!("1.08510")), "{b}");

    // the instrument disabled, then enabled again
    let mut off = eurusd();
    off["status"] = json!("DISABLED");
    let (s, b) = put(&t, &admin, "/api/instruments/EURUSD", off).await;
    assert_eq!(s, 200, "{b}");
    let (s, b) = open(&t, &c.token, buy(w)).await;
    assert_eq!((s, fields(&b)), (422, vec!["symbol".to_owned()]), "{b}");
    let (s, b) = put(&t, &admin, "/api/instruments/EURUSD", eurusd()).await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(open(&t, &c.token, buy(w)).await.0, 200);

    // a downtime created, then deleted
    let now = Utc::now();
    let window = json!({"title": "maintenance", "startDate": (now - Duration::hours(1)).to_rfc3339(),
        "endDate": (now + Duration::hours(1)).to_rfc3339(), "symbols": ["EURUSD"]});
    let (s, b) = post(&t, &admin, "/api/downtimes", window).await;
    assert_eq!(s, 200, "{b}");
    let id = b["downtime"]["id"].as_i64().unwrap();
    let (s, b) = open(&t, &c.token, buy(w)).await;
    assert_eq!((s, fields(&b)), (422, vec!["symbol".to_owned()]), "{b}");
    assert!(b.to_string().contains("downtime"), "{b}");
    assert_eq!(delete(&t, &admin, &format!("/api/downtimes/{id}")).await.0, 200);
    assert_eq!(open(&t, &c.token, buy(w)).await.0, 200);

    // the wallet's group given a markup: the next fill carries it
    let group = currency_group(&t, &admin, "USD").await;
    let body = json!({"leverage": 200, "markups": [{"symbol": "EURUSD", "points": 20}],
        "commissions": [], "marginCallLevel": 100, "stopOutLevel": 50, "adapterName": "neo",
        "disableSwapCharges": false});
    let (s, b) = put(&t, &admin, &format!("/api/groups/{group}"), body).await;
    assert_eq!(s, 200, "{b}");
    let (s, b) = open(&t, &c.token, buy(w)).await;
    assert_eq!((s, &b["openPrice"]), (200, &json!("1.08530")), "ask + 20 points: {b}");
}

#[tokio::test]
async fn another_instances_change_reaches_the_next_order_within_the_ttl() {
    let ttl = StdDuration::from_millis(400);
    let t = TestApp::spawn_with(|c| c.trading_cache_ttl = ttl).await;
    let admin = t.admin_token().await;
    eurusd_market(&t, &admin).await;
    let c = t.customer().admin(&admin).with_wallet("USD", 10_000).create().await;
    let w = c.wallets[0];
    assert_eq!(open(&t, &c.token, buy(w)).await.0, 200);
    // Another instance disables the instrument: this one has not seen it...
    let sql = "UPDATE instruments SET status = 'DISABLED' WHERE symbol = 'EURUSD'";
    t.app.db().conn().execute_unprepared(sql).await.unwrap();
    assert_eq!(open(&t, &c.token, buy(w)).await.0, 200, "remembered for at most the TTL");
    tokio::time::sleep(ttl + StdDuration::from_millis(200)).await;
    // ...and refuses once the TTL is over.
    let (s, b) = open(&t, &c.token, buy(w)).await;
    assert_eq!((s, fields(&b)), (422, vec!["symbol".to_owned()]), "{b}");

    // With no TTL the next order already sees it.
    let t = TestApp::spawn_with(|c| c.trading_cache_ttl = StdDuration::ZERO).await;
    let admin = t.admin_token().await;
    eurusd_market(&t, &admin).await;
    let c = t.customer().admin(&admin).with_wallet("USD", 10_000).create().await;
    let w = c.wallets[0];
    assert_eq!(open(&t, &c.token, buy(w)).await.0, 200);
    t.app.db().conn().execute_unprepared(sql).await.unwrap();
    assert_eq!(open(&t, &c.token, buy(w)).await.0, 422);
}
