//! Withdrawals through HTTP: request reserves, approve (with a changed amount) posts, reject
//! voids, refund returns the money once; racing decisions (exactly one wins, the other 409);
//! 50 concurrent requests against one balance; a reservation surviving a restart; the
//! transactions list, one transaction, coins exchange list, withdrawal methods and the
//! affiliate balance. Every test ends with the ledger verified.

use brokercrm_core::identity::auth::Role;
use serde_json::{Value, json};

use crate::helpers::assert::field_of;
use crate::helpers::http::{count_ok_else_422, json_request, post, send_concurrently};
use crate::helpers::money::{assert_verified, balance, enable_test_provider, funded, manual};
use crate::helpers::users::customer;
use crate::helpers::{TestApp, assert_error};

async fn withdraw(t: &TestApp, token: &str, body: Value) -> (u16, Value) {
    post(t, token, "/api/me/withdrawals", body).await
}

async fn decide(t: &TestApp, token: &str, id: &str, what: &str, body: Value) -> (u16, Value) {
    post(t, token, &format!("/api/transactions/{id}/{what}"), body).await
}

fn body(amount: i64) -> Value {
    json!({"provider": "test", "currency": "USD", "amount": amount, "walletAddress": "addr-1"})
}

#[tokio::test]
async fn a_withdrawal_reserves_then_approve_posts_and_refund_returns_it_once() {
    let t = TestApp::spawn().await;
    let (admin, cust, _, w) = funded(&t, 1000).await;

    let (s, b) = withdraw(&t, &cust, body(300)).await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["accepted"], true);
    let id = b["withdrawal"]["id"].as_str().unwrap().to_owned();
    assert_eq!(b["withdrawal"]["status"], "pending");
    assert_eq!(b["withdrawal"]["amount"], "-300");
    assert_eq!(b["withdrawal"]["walletAddress"], "addr-1");
    assert_eq!(b["withdrawal"]["walletId"], w);
    // Reserved: the posted balance is unchanged, but only 700 may still be withdrawn.
    assert_eq!(balance(&t, &admin, w).await["balance"], "1000");
    let (s, b) = withdraw(&t, &cust, body(701)).await;
    assert_eq!((s, field_of(&b)), (422, "amount".to_owned()), "{b}");

    let r = t.server.get("/api/me/withdrawals/current").authorization_bearer(&cust).await;
    r.assert_status_ok();
    assert_eq!(r.json::<Value>()["withdrawal"]["id"], id.as_str());

    // Validation and permissions change nothing.
    let (s, b) = decide(&t, &admin, &id, "approve", json!({"changedAmount": 301})).await;
    assert_eq!((s, field_of(&b)), (422, "changedAmount".to_owned()), "{b}");
    let (s, _) = decide(&t, &cust, &id, "approve", json!({})).await;
    assert_eq!(s, 403);
    let (s, b) = decide(&t, &admin, "no-such-id", "approve", json!({})).await;
    assert_eq!(s, 404);
    assert_error(&b, "not_found");

    let (s, b) =
        decide(&t, &admin, &id, "approve", json!({"changedAmount": 250, "comment": "fee kept"}))
            .await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["transaction"]["status"], "approved");
    assert_eq!(b["transaction"]["finalAmount"], "250");
    assert_eq!(b["transaction"]["comment"], "fee kept");
    assert!(b["transaction"]["reviewerId"].is_i64());
    assert_eq!(balance(&t, &admin, w).await["balance"], "750");
    let r = t.server.get("/api/me/withdrawals/current").authorization_bearer(&cust).await;
    assert_eq!(r.json::<Value>()["withdrawal"], Value::Null);

    // Decided: a second decision is a conflict and moves nothing.
    let (s, b) = decide(&t, &admin, &id, "reject", json!({})).await;
    assert_eq!(s, 409, "{b}");
    assert_error(&b, "conflict");
    let (s, _) = decide(&t, &admin, &id, "approve", json!({})).await;
    assert_eq!(s, 409);

    // Refund: the posted 250 comes back, exactly once.
    let r =
        t.server.post(&format!("/api/transactions/{id}/refund")).authorization_bearer(&admin).await;
    r.assert_status_ok();
    assert!(r.json::<Value>()["success"].as_str().unwrap().contains("refunded"));
    assert_eq!(balance(&t, &admin, w).await["balance"], "1000");
    let r =
        t.server.post(&format!("/api/transactions/{id}/refund")).authorization_bearer(&admin).await;
    assert_eq!(r.status_code().as_u16(), 409);
    assert_eq!(balance(&t, &admin, w).await["balance"], "1000");

    let r = t.server.get(&format!("/api/transactions/{id}")).authorization_bearer(&admin).await;
    r.assert_status_ok();
    assert_eq!(r.json::<Value>()["transaction"]["status"], "refunded");

    // Every write is audited once, refused attempts not at all.
    use brokercrm_store::entities::activities;
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
    for (kind, n) in [
        ("withdrawal.request", 1),
        ("withdrawal.approve", 1),
        ("withdrawal.refund", 1),
        ("withdrawal.reject", 0),
    ] {
        let count = activities::Entity::find()
            .filter(activities::Column::Type.eq(kind))
            .filter(activities::Column::EntityId.eq(id.as_str()))
            .count(t.app.db().conn())
            .await
            .unwrap();
        assert_eq!(count, n, "{kind}");
    }
    assert_verified(t.app.db()).await;
}

#[tokio::test]
async fn reject_releases_the_reservation_and_keys_make_requests_idempotent() {
    let t = TestApp::spawn().await;
    let (admin, cust, _, w) = funded(&t, 100).await;
    let send = |key: &'static str, amount: i64| {
        t.server
            .post("/api/me/withdrawals")
            .authorization_bearer(&cust)
            .add_header(
                http::HeaderName::from_static("idempotency-key"),
                http::HeaderValue::from_static(key),
            )
            .json(&body(amount))
    };
    let first: Value = send("k-1", 100).await.json();
    let again: Value = send("k-1", 100).await.json();
    assert_eq!(first["withdrawal"]["id"], again["withdrawal"]["id"]);
    assert_eq!(send("k-1", 99).await.status_code().as_u16(), 409);
    let other_address = t
        .server
        .post("/api/me/withdrawals")
        .authorization_bearer(&cust)
        .add_header(
            http::HeaderName::from_static("idempotency-key"),
            http::HeaderValue::from_static("k-1"),
        )
        .json(&json!({"provider": "test", "amount": 100, "walletAddress": "addr-2"}))
        .await;
    assert_eq!(other_address.status_code().as_u16(), 409);
    let id = first["withdrawal"]["id"].as_str().unwrap().to_owned();
    // Everything is reserved.
    let (s, _) = withdraw(&t, &cust, body(1)).await;
    assert_eq!(s, 422);

    let (s, b) = decide(&t, &admin, &id, "reject", json!({"comment": "documents missing"})).await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["transaction"]["status"], "rejected");
    assert_eq!(balance(&t, &admin, w).await["balance"], "100");
    let (s, _) = withdraw(&t, &cust, body(100)).await;
    assert_eq!(s, 200, "the released funds are available again");
    let r =
        t.server.post(&format!("/api/transactions/{id}/refund")).authorization_bearer(&admin).await;
    assert_eq!(r.status_code().as_u16(), 409, "a rejected withdrawal has nothing to refund");

    // Bad input names the field.
    for (b, field) in [
        (json!({"provider": "nope", "amount": 1, "walletAddress": "a"}), "provider"),
        (json!({"provider": "test", "amount": 0, "walletAddress": "a"}), "amount"),
        (json!({"provider": "test", "amount": 1}), "walletAddress"),
        (
            json!({"provider": "test", "amount": 1, "walletAddress": "a", "currency": "EUR"}),
            "currency",
        ),
    ] {
        let (s, r) = withdraw(&t, &cust, b).await;
        assert_eq!((s, field_of(&r)), (422, field.to_owned()), "{r}");
    }
    assert_verified(t.app.db()).await;
}

#[tokio::test]
async fn racing_approve_and_reject_exactly_one_wins() {
    let t = TestApp::spawn().await;
    let (admin, cust, _, w) = funded(&t, 1000).await;
    for round in 0..5 {
        let (_, b) = withdraw(&t, &cust, body(10)).await;
        let id = b["withdrawal"]["id"].as_str().unwrap().to_owned();
        let approve = decide(&t, &admin, &id, "approve", json!({}));
        let reject = decide(&t, &admin, &id, "reject", json!({}));
        let ((a, ab), (r, rb)) = tokio::join!(approve, reject);
        let mut statuses = [a, r];
        statuses.sort_unstable();
        assert_eq!(statuses, [200, 409], "round {round}: {ab} {rb}");
        let loser = if a == 409 { ab } else { rb };
        assert_error(&loser, "conflict");
    }
    let list: Value = t
        .server
        .get(&format!("/api/transactions?limit=100&offset=0&walletId={w}&type=WITHDRAWAL"))
        .authorization_bearer(&admin)
        .await
        .json();
    let rows = list["transactions"].as_array().unwrap();
    assert_eq!(rows.len(), 5);
    assert!(rows.iter().all(|r| r["status"] == "approved" || r["status"] == "rejected"));
    let approved = rows.iter().filter(|r| r["status"] == "approved").count() as i64;
    let expected = 1000 - 10 * approved;
    assert_eq!(balance(&t, &admin, w).await["balance"], expected.to_string());

    // Two racing refunds of one approved withdrawal: one refunds, the other is 409.
    let (_, b) = withdraw(&t, &cust, body(100)).await;
    let id = b["withdrawal"]["id"].as_str().unwrap().to_owned();
    assert_eq!(decide(&t, &admin, &id, "approve", json!({})).await.0, 200);
    let refund =
        || t.server.post(&format!("/api/transactions/{id}/refund")).authorization_bearer(&admin);
    let (a, b) = tokio::join!(refund(), refund());
    let mut statuses = [a.status_code().as_u16(), b.status_code().as_u16()];
    statuses.sort_unstable();
    assert_eq!(statuses, [200, 409]);
    assert_eq!(balance(&t, &admin, w).await["balance"], expected.to_string());
    assert_verified(t.app.db()).await;
}

#[tokio::test]
async fn fifty_concurrent_withdrawals_reserve_only_what_the_balance_affords() {
    let t = TestApp::spawn().await;
    let (admin, cust, _, w) = funded(&t, 1000).await;
    let requests =
        (0..50).map(|_| json_request("/api/me/withdrawals", &cust, None, &body(30))).collect();
    let ok = count_ok_else_422(&send_concurrently(&t, requests).await);
    assert_eq!(ok, 33, "1000 affords 33 withdrawals of 30");
    let list: Value = t
        .server
        .get(&format!("/api/transactions?limit=100&offset=0&walletId={w}&status=pending"))
        .authorization_bearer(&admin)
        .await
        .json();
    assert_eq!(list["transactions"].as_array().unwrap().len(), 33);
    assert_verified(t.app.db()).await;
}

#[tokio::test]
async fn a_reservation_survives_a_restart_and_is_decided_after_it() {
    let t = TestApp::spawn().await;
    let (admin, cust, _, w) = funded(&t, 500).await;
    let (_, b) = withdraw(&t, &cust, body(200)).await;
    let id = b["withdrawal"]["id"].as_str().unwrap().to_owned();

    // A new process over the same database (the first one "crashed" before any decision).
    let dir = tempfile::tempdir().unwrap();
    let db = brokercrm_store::Db::connect(&t.db_url).await.unwrap();
    let cfg = brokercrm_app::AppConfig {
        files_dir: dir.path().join("files"),
        data_key_file: dir.path().join("keys/data.key"),
        argon2_memory_kib: 256,
        ..brokercrm_app::AppConfig::default()
    };
    let services = brokercrm_app::context::Services::for_config(&cfg).unwrap();
    let app = brokercrm_app::App::build(db, cfg, services, None).await.unwrap();
    let server = axum_test::TestServer::new(brokercrm_http::build_router(
        app.clone(),
        brokercrm_http::HttpConfig::default(),
    ));
    let r = server.get(&format!("/api/transactions/{id}")).authorization_bearer(&admin).await;
    r.assert_status_ok();
    assert_eq!(r.json::<Value>()["transaction"]["status"], "pending");
    let r = server
        .post(&format!("/api/transactions/{id}/approve"))
        .authorization_bearer(&admin)
        .json(&json!({}))
        .await;
    r.assert_status_ok();
    assert_eq!(balance(&t, &admin, w).await["balance"], "300");
    assert_verified(app.db()).await;
}

#[tokio::test]
async fn transactions_are_listed_filtered_and_read_by_staff_only() {
    let t = TestApp::spawn().await;
    let (admin, cust, cust_id, w) = funded(&t, 100).await;
    manual(&t, &admin, w, json!({"type": "BONUS", "amount": 5})).await;
    let (_, b) = withdraw(&t, &cust, body(40)).await;
    let wid = b["withdrawal"]["id"].as_str().unwrap().to_owned();

    let get = |q: String| {
        let admin = admin.clone();
        let t = &t;
        async move {
            let r =
                t.server.get(&format!("/api/transactions?{q}")).authorization_bearer(&admin).await;
            (r.status_code().as_u16(), r.json::<Value>())
        }
    };
    let (s, all) = get(format!("limit=2&offset=0&walletId={w}")).await;
    assert_eq!(s, 200, "{all}");
    assert_eq!(all["pages"], 2);
    assert_eq!(all["transactions"][0]["id"], wid.as_str(), "newest first");
    let (_, deposits) = get(format!("limit=10&offset=0&type=DEPOSIT&walletId={w}")).await;
    let d = &deposits["transactions"];
    assert_eq!(d.as_array().unwrap().len(), 1);
    assert_eq!(d[0]["amount"], "100");
    assert_eq!(d[0]["status"], "posted");
    let account: i64 =
        brokercrm_store::repo::identity::users::find_by_uuid(t.app.db().conn(), &cust_id)
            .await
            .unwrap()
            .unwrap()
            .id;
    assert_eq!(d[0]["customerId"], account);
    let (_, by_amount) = get(format!("limit=10&offset=0&sortBy=amount&customerId={account}")).await;
    let amounts: Vec<&str> = by_amount["transactions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["amount"].as_str().unwrap())
        .collect();
    assert_eq!(amounts, ["100", "-40", "5"]);
    let (_, found) = get(format!("limit=10&offset=0&search={wid}")).await;
    assert_eq!(found["transactions"].as_array().unwrap().len(), 1);

    for (q, field) in [
        ("limit=0&offset=0", "limit"),
        ("limit=10001&offset=0", "limit"),
        ("offset=0", "limit"),
        ("limit=1&offset=0&type=GIFT", "type"),
        ("limit=1&offset=0&sortBy=name", "sortBy"),
        ("limit=1&offset=0&startDate=yesterday", "startDate"),
    ] {
        let (s, b) = get(q.to_owned()).await;
        assert_eq!((s, field_of(&b)), (422, field.to_owned()), "{q}: {b}");
    }
    let r = t.server.get("/api/transactions?limit=1&offset=0").authorization_bearer(&cust).await;
    assert_eq!(r.status_code().as_u16(), 403);
    let r = t.server.get(&format!("/api/transactions/{wid}")).authorization_bearer(&cust).await;
    assert_eq!(r.status_code().as_u16(), 403);
    let r = t.server.get("/api/transactions/unknown").authorization_bearer(&admin).await;
    assert_eq!(r.status_code().as_u16(), 404);

    // Coins exchanges (created by the Coins tag): none yet; limit at most 100.
    let r = t
        .server
        .get("/api/transactions/coins-exchange?limit=10")
        .authorization_bearer(&admin)
        .await;
    r.assert_status_ok();
    assert_eq!(r.json::<Value>(), json!({"conversions": [], "count": 0}));
    let r = t
        .server
        .get("/api/transactions/coins-exchange?limit=101")
        .authorization_bearer(&admin)
        .await;
    assert_eq!(r.status_code().as_u16(), 422);
    // An offset beyond what the database can take is a field error, not a server error.
    let r = t
        .server
        .get("/api/transactions/coins-exchange?offset=9223372036854775808")
        .authorization_bearer(&admin)
        .await;
    assert_eq!((r.status_code().as_u16(), field_of(&r.json::<Value>())), (422, "offset".into()));
}

#[tokio::test]
async fn withdrawal_methods_by_country_and_the_affiliate_balance() {
    let t = TestApp::spawn().await;
    let admin = t.admin_token().await;
    let (cust, _) = customer(&t).await;
    let r = t
        .server
        .get("/api/transactions/withdrawal-methods?country=DE")
        .authorization_bearer(&cust)
        .await;
    r.assert_status_ok();
    assert_eq!(r.json::<Value>(), json!({"methods": []}), "no provider enabled yet");
    enable_test_provider(&t, &admin).await;
    let r = t
        .server
        .get("/api/transactions/withdrawal-methods?country=de")
        .authorization_bearer(&cust)
        .await;
    let m: Value = r.json();
    assert_eq!(m["methods"][0]["id"], "test");
    assert_eq!(m["methods"][0]["type"], "withdrawal");
    for q in ["", "?country=XX"] {
        let r = t
            .server
            .get(&format!("/api/transactions/withdrawal-methods{q}"))
            .authorization_bearer(&cust)
            .await;
        assert_eq!(r.status_code().as_u16(), 422);
        assert_eq!(field_of(&r.json()), "country");
    }

    let (aff, _) = t.mint_token(Role::Affiliate).await;
    let r = t.server.get("/api/affiliates/balance").authorization_bearer(&aff).await;
    r.assert_status_ok();
    assert_eq!(r.json::<Value>(), json!({"balance": "0"}));
    let r = t.server.get("/api/affiliates/balance").authorization_bearer(&cust).await;
    assert_eq!(r.status_code().as_u16(), 403);
}
