//! Manual transactions through one house account decided together in one group-commit batch
//! (issue 20, hot accounts): deposits, a replayed key, a key reused with another body, an
//! overdraft, a bonus, a correction, a deposit to credit and one key sent five times, all
//! queued behind a held write lock and released at once. Each gets its own answer, deposits
//! still run their hook (deposit bonuses), every posted one is audited once, and the ledger
//! verifies.

use serde_json::{Value, json};
use tower::ServiceExt;

use crate::helpers::TestApp;
use crate::helpers::assert::field_of;
use crate::helpers::money::{assert_verified, balance, hold_writes, manual, transfer};

/// One request: wallet, Idempotency-Key, body.
type Call = (i64, Option<String>, Value);

fn send(
    router: &axum::Router,
    admin: &str,
    (wallet, key, body): Call,
) -> tokio::task::JoinHandle<(u16, Value)> {
    let mut req = http::Request::post(format!("/api/wallets/{wallet}/transactions"))
        .header("authorization", format!("Bearer {admin}"))
        .header("content-type", "application/json");
    if let Some(k) = key {
        req = req.header("idempotency-key", k);
    }
    let req = req.body(axum::body::Body::from(body.to_string())).unwrap();
    let router = router.clone();
    tokio::spawn(async move {
        let r = router.oneshot(req).await.unwrap();
        let status = r.status().as_u16();
        let bytes = axum::body::to_bytes(r.into_body(), 1 << 20).await.unwrap();
        (status, serde_json::from_slice(&bytes).unwrap_or(Value::Null))
    })
}

/// Sends `calls` while writes are held, so they queue and are decided together.
async fn queued_together(t: &TestApp, admin: &str, calls: Vec<Call>) -> Vec<(u16, Value)> {
    let hold = hold_writes(t).await;
    let router = brokercrm_http::build_router(t.app.clone(), brokercrm_http::HttpConfig::default());
    let tasks: Vec<_> = calls.into_iter().map(|c| send(&router, admin, c)).collect();
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    hold.rollback().await.unwrap();
    let mut answers = Vec::new();
    for task in tasks {
        answers.push(task.await.unwrap());
    }
    answers
}

fn call(wallet: i64, key: &str, body: Value) -> Call {
    (wallet, Some(key.to_owned()), body)
}

async fn audited(t: &TestApp, admin: &str) -> usize {
    let r = t.server.get("/api/activities?limit=100&offset=0").authorization_bearer(admin).await;
    let v: Value = r.json();
    let list = v["activities"].as_array().unwrap_or_else(|| panic!("{v}"));
    list.iter().filter(|a| a["type"] == "wallet.transaction").count()
}

#[tokio::test]
async fn manual_transactions_queued_together_are_each_answered() {
    let t = TestApp::spawn().await;
    let admin = t.admin_token().await;
    let owner = t.customer().admin(&admin).with_wallet("USD", 100).with_wallet("USD", 0);
    let owner = owner.with_wallet("USD", 10).create().await;
    let [a, b, c] = owner.wallet_ids();
    // A deposit bonus of 10 % (the deposit hook must still run in a batch).
    let rule = json!({"id": "ten", "type": "DEPOSIT_PROPORTIONAL", "amount": 10,
        "start": "2020-01-01T00:00:00Z", "end": "2099-01-01T00:00:00Z",
        "addToCredit": false, "methods": []});
    let r = t.server.post("/api/bonuses").authorization_bearer(&admin).json(&rule).await;
    r.assert_status_ok();
    let deposit = |amount: &str| json!({"type": "DEPOSIT", "amount": amount, "method": "bank"});
    let (s, body) = send_one(&t, &admin, a, "first", deposit("5")).await;
    assert_eq!(s, 200, "{body}");
    let audits_before = audited(&t, &admin).await;

    let mut calls = vec![
        call(a, "first", deposit("5")), // replay of a stored transfer
        call(a, "first", deposit("6")), // its key with another body
        call(c, "c-over", json!({"type": "WITHDRAWAL", "amount": "11"})),
        call(c, "c-all", json!({"type": "WITHDRAWAL", "amount": "10"})),
        call(b, "bonus", json!({"type": "BONUS", "amount": "2"})),
        call(a, "fix", json!({"type": "CORRECTION", "amount": "-1"})),
        call(b, "credit", json!({"type": "DEPOSIT", "amount": "3", "addToCredit": true})),
    ];
    calls.extend(
        (0..20).map(|i| call(if i % 2 == 0 { a } else { b }, &format!("d{i}"), deposit("1"))),
    );
    calls.extend((0..5).map(|_| call(b, "dup", deposit("1"))));
    let answers = queued_together(&t, &admin, calls).await;

    assert_eq!(answers[0].0, 200, "replay: {:?}", answers[0]);
    assert_eq!(answers[1].0, 409, "same key, other body: {:?}", answers[1]);
    assert_eq!(
        (answers[2].0, field_of(&answers[2].1).as_str()),
        (422, "amount"),
        "{:?}",
        answers[2]
    );
    for (i, (s, body)) in answers.iter().enumerate().skip(3) {
        assert_eq!(*s, 200, "call {i}: {body}");
    }

    // a: 100 + 5 (first) + 0.5 (its bonus) + 10 × 1 + 10 × 0.1 (bonuses) - 1 (correction)
    assert_eq!(balance(&t, &admin, a).await["balance"], "115.5");
    // b: 10 × 1 + 10 × 0.1 + 2 (bonus) + 1 (dup, once) + 0.1; credit 3
    let bb = balance(&t, &admin, b).await;
    assert_eq!(bb["balance"], "14.1", "{bb}");
    assert_eq!(bb["credit"], "3", "{bb}");
    assert_eq!(balance(&t, &admin, c).await["balance"], "0");
    // Posted in the batch: c-all, bonus, fix, credit, 20 deposits, dup once.
    assert_eq!(audited(&t, &admin).await - audits_before, 25);
    assert_verified(t.app.db()).await;
}

async fn send_one(t: &TestApp, admin: &str, wallet: i64, key: &str, body: Value) -> (u16, Value) {
    let r = t
        .server
        .post(&format!("/api/wallets/{wallet}/transactions"))
        .authorization_bearer(admin)
        .add_header("Idempotency-Key", key)
        .json(&body)
        .await;
    (r.status_code().as_u16(), r.json())
}

#[tokio::test]
async fn concurrent_deposits_through_the_house_account_all_post() {
    let t = TestApp::spawn().await;
    let admin = t.admin_token().await;
    let owner = t.customer().admin(&admin).with_wallet("USD", 1).with_wallet("USD", 1);
    let owner = owner.create().await;
    let [a, b] = owner.wallet_ids();
    let router = brokercrm_http::build_router(t.app.clone(), brokercrm_http::HttpConfig::default());
    let tasks: Vec<_> = (0..60)
        .map(|i| {
            let w = if i % 2 == 0 { a } else { b };
            send(
                &router,
                &admin,
                call(w, &format!("k{i}"), json!({"type": "DEPOSIT", "amount": "0.01"})),
            )
        })
        .collect();
    for task in tasks {
        let (s, body) = task.await.unwrap();
        assert_eq!(s, 200, "{body}");
    }
    assert_eq!(balance(&t, &admin, a).await["balance"], "1.3");
    assert_eq!(balance(&t, &admin, b).await["balance"], "1.3");
    assert_verified(t.app.db()).await;
}

#[tokio::test]
async fn a_batch_decided_on_stale_sums_is_decided_again() {
    let t = TestApp::spawn().await;
    let admin = t.admin_token().await;
    let owner = t.customer().admin(&admin).with_wallet("USD", 100).with_wallet("USD", 0);
    let owner = owner.create().await;
    let [a, b] = owner.wallet_ids();
    let deposit = |amount: &str| json!({"type": "DEPOSIT", "amount": amount, "method": "bank"});
    // The manual lane sees a's sums (on PostgreSQL it remembers them: 101).
    let (s, body) = send_one(&t, &admin, a, "d1", deposit("1")).await;
    assert_eq!(s, 200, "{body}");
    // Another path moves a's balance behind the lane's back: a staff transfer of 81 to b.
    let moved = json!({"sourceWalletId": a, "targetWalletId": b, "amount": "81"});
    let (s, body) = transfer(&t, &admin, Some("behind"), moved).await;
    assert_eq!(s, 200, "{body}");
    // a holds 20: a withdrawal of 50 decided on the remembered 101 would pass; the write finds
    // the sums moved, writes nothing, and the batch is decided again on what a holds.
    let (s, body) =
        send_one(&t, &admin, a, "w50", json!({"type": "WITHDRAWAL", "amount": "50"})).await;
    assert_eq!((s, field_of(&body).as_str()), (422, "amount"), "{body}");
    let (s, body) =
        send_one(&t, &admin, a, "w20", json!({"type": "WITHDRAWAL", "amount": "20"})).await;
    assert_eq!(s, 200, "{body}");
    let (s, body) = send_one(&t, &admin, a, "d2", deposit("2")).await;
    assert_eq!(s, 200, "{body}");
    // Replays after the fallback change nothing.
    let (s, body) = send_one(&t, &admin, a, "d2", deposit("2")).await;
    assert_eq!(s, 200, "{body}");
    assert_eq!(balance(&t, &admin, a).await["balance"], "2");
    assert_eq!(balance(&t, &admin, b).await["balance"], "81");
    // The ledger rows of a: exactly one withdrawal (20) and one deposit of 2 after the move.
    let (_, page) = manual(&t, &admin, a, json!({})).await;
    let list = page["transactions"].as_array().unwrap_or_else(|| panic!("{page}"));
    let of = |kind: &str| -> Vec<&str> {
        list.iter().filter(|x| x["type"] == kind).filter_map(|x| x["amount"].as_str()).collect()
    };
    assert_eq!(of("WITHDRAWAL"), ["-20"], "{page}");
    let mut deposits = of("DEPOSIT");
    deposits.sort_unstable();
    assert_eq!(deposits, ["1", "100", "2"], "{page}");
    // The replay answered the same page the list answers.
    assert_eq!(body, page);
    assert_verified(t.app.db()).await;
}

#[tokio::test]
async fn the_answer_of_a_movement_is_the_wallets_page() {
    let t = TestApp::spawn().await;
    let admin = t.admin_token().await;
    let a = t.customer().admin(&admin).with_wallet("USD", 5).create().await.wallets[0];
    let credit = json!({"type": "DEPOSIT", "amount": "3", "addToCredit": true});
    for (key, body) in [("c1", credit.clone()), ("b1", json!({"type": "BONUS", "amount": "1"}))] {
        let (s, answer) = send_one(&t, &admin, a, key, body).await;
        assert_eq!(s, 200, "{answer}");
        let (_, page) = manual(&t, &admin, a, json!({})).await;
        assert_eq!(answer, page, "{key}");
    }
    let (_, page) = manual(&t, &admin, a, json!({})).await;
    assert_eq!(page["transactions"].as_array().map(Vec::len), Some(3), "{page}");
    // A page past the end still counts the pages.
    let r = t
        .server
        .post(&format!("/api/wallets/{a}/transactions?page=5&limit=2"))
        .authorization_bearer(&admin)
        .add_header("Idempotency-Key", "b2")
        .json(&json!({"type": "BONUS", "amount": "1"}))
        .await;
    let v: Value = r.json();
    assert_eq!((v["transactions"].as_array().map(Vec::len), &v["pages"]), (Some(0), &json!(2)));
}
