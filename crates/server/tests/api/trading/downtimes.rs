//! Downtimes: the five operations, validation naming each field (and changing nothing), and
//! a symbol in a window shown closed to clients until the window ends.

use brokercrm_core::identity::auth::Role;
use chrono::{Duration, TimeZone, Utc};
use serde_json::json;

use crate::helpers::TestApp;
use crate::helpers::assert::fields;
use crate::helpers::http::{delete, get, post, put};
use crate::helpers::platform::audited;
use crate::helpers::trading::{eurusd, instrument};

#[tokio::test]
async fn downtimes_close_trading_for_their_window() {
    let t = TestApp::spawn().await;
    let admin = t.admin_token().await;
    instrument(&t, &admin, eurusd()).await;
    let mut gbp = eurusd();
    gbp["symbol"] = json!("GBPUSD");
    instrument(&t, &admin, gbp).await;
    let start = Utc.with_ymd_and_hms(2026, 12, 24, 22, 0, 0).unwrap();
    let end = start + Duration::hours(26);
    let body = json!({
        "title": "Christmas", "startDate": start.to_rfc3339(), "endDate": end.to_rfc3339(),
        "symbols": ["EURUSD"]
    });
    let (s, b) = post(&t, &admin, "/api/downtimes", body).await;
    assert_eq!(s, 200, "{b}");
    let id = b["downtime"]["id"].as_i64().unwrap();
    assert_eq!(b["downtime"]["symbols"], json!(["EURUSD"]));
    assert_eq!(b["downtime"]["startDate"], "2026-12-24T22:00:00Z");

    let client = t.token_for(Role::Customer).await;
    let open = |b: &serde_json::Value, sym: &str| {
        b["instruments"].as_array().unwrap().iter().find(|i| i["symbol"] == sym).unwrap()["isOpen"]
            .as_bool()
            .unwrap()
    };
    t.clock.set(start - Duration::seconds(1));
    let (_, b) = get(&t, &client, "/api/me/instruments").await;
    assert!(open(&b, "EURUSD"));
    t.clock.set(start);
    let (_, b) = get(&t, &client, "/api/me/instruments").await;
    assert!(!open(&b, "EURUSD"), "in the window");
    assert!(open(&b, "GBPUSD"), "not listed");
    t.clock.set(end);
    let (_, b) = get(&t, &client, "/api/me/instruments").await;
    assert!(open(&b, "EURUSD"), "the end is exclusive");

    // list, get, update, delete
    let (s, b) = get(&t, &admin, "/api/downtimes").await;
    assert_eq!((s, &b["count"]), (200, &json!(1)));
    let (s, b) = get(&t, &admin, &format!("/api/downtimes/{id}")).await;
    assert_eq!((s, &b["downtime"]["title"]), (200, &json!("Christmas")));
    let changed = json!({
        "title": "Christmas (both)", "startDate": start.to_rfc3339(), "endDate": end.to_rfc3339(),
        "symbols": ["EURUSD", "GBPUSD"]
    });
    let (s, b) = put(&t, &admin, &format!("/api/downtimes/{id}"), changed).await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["downtime"]["symbols"], json!(["EURUSD", "GBPUSD"]));
    t.clock.set(start + Duration::hours(1));
    let (_, b) = get(&t, &client, "/api/me/instruments").await;
    assert!(!open(&b, "GBPUSD"));
    let (s, _) = delete(&t, &admin, &format!("/api/downtimes/{id}")).await;
    assert_eq!(s, 200);
    let (_, b) = get(&t, &client, "/api/me/instruments").await;
    assert!(open(&b, "GBPUSD"));
    assert_eq!(get(&t, &admin, &format!("/api/downtimes/{id}")).await.0, 404);
    assert_eq!(get(&t, &admin, "/api/downtimes/abc").await.0, 404);
    assert_eq!(audited(&t, "downtime.create").await, 1);
    assert_eq!(audited(&t, "downtime.update").await, 1);
    assert_eq!(audited(&t, "downtime.delete").await, 1);
}

#[tokio::test]
async fn bad_downtimes_are_named_and_change_nothing() {
    let t = TestApp::spawn().await;
    let admin = t.admin_token().await;
    instrument(&t, &admin, eurusd()).await;
    let body = json!({
        "title": " ", "startDate": "2026-12-25T00:00:00Z", "endDate": "2026-12-24T00:00:00Z",
        "symbols": ["EURUSD", "NOPE", "EURUSD"]
    });
    let (s, b) = post(&t, &admin, "/api/downtimes", body).await;
    assert_eq!(s, 422, "{b}");
    assert_eq!(fields(&b), ["title", "endDate", "symbols[1]", "symbols[2]"]);
    let empty = json!({"title": "x", "startDate": "2026-12-24T00:00:00Z", "endDate": "2026-12-25T00:00:00Z", "symbols": []});
    let (s, b) = post(&t, &admin, "/api/downtimes", empty).await;
    assert_eq!((s, fields(&b)), (422, vec!["symbols".to_owned()]));
    let far = json!({"title": "x", "startDate": "1900-01-01T00:00:00Z", "endDate": "+20000-01-01T00:00:00Z", "symbols": ["EURUSD"]});
    let (s, b) = post(&t, &admin, "/api/downtimes", far).await;
    assert_eq!((s, fields(&b)), (422, vec!["startDate".to_owned(), "endDate".to_owned()]), "{b}");
    let (_, b) = get(&t, &admin, "/api/downtimes").await;
    assert_eq!(b["count"], 0);
    let risk = t.token_for(Role::Risk).await;
    assert_eq!(get(&t, &risk, "/api/downtimes").await.0, 200);
    let ok = json!({"title": "x", "startDate": "2026-12-24T00:00:00Z", "endDate": "2026-12-25T00:00:00Z", "symbols": ["EURUSD"]});
    assert_eq!(post(&t, &risk, "/api/downtimes", ok).await.0, 403);
}
