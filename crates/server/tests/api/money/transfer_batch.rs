//! Wallet transfers decided together in one group-commit batch: a replayed key, a key reused
//! with another body, an overdraft, a disabled or foreign wallet, a staff transfer and a
//! cross-currency one all queued behind a held write lock, then released at once. Each gets
//! its own answer, the rest of the batch is unaffected, and the ledger verifies.

use brokercrm_core::Money;
use serde_json::{Value, json};
use tower::ServiceExt;

use crate::helpers::TestApp;
use crate::helpers::assert::field_of;
use crate::helpers::money::{
    assert_verified, balance, currency_group, group, hold_writes, manual, transfer, wallet,
};
use crate::helpers::users::customer;

/// One request: bearer token, Idempotency-Key, body.
type Call = (String, Option<String>, Value);

/// Sends one transfer through the router in a task; answers its status and body.
fn send(router: &axum::Router, (token, key, body): Call) -> tokio::task::JoinHandle<(u16, Value)> {
    let mut req = http::Request::post("/api/wallets/transfer")
        .header("authorization", format!("Bearer {token}"))
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

/// Sends `calls` while the database's write lock (and on PostgreSQL every ledger account) is
/// held, so they queue up and are decided together once it is released; answers in order.
async fn queued_together(t: &TestApp, calls: Vec<Call>) -> Vec<(u16, Value)> {
    let hold = hold_writes(t).await;
    let router = brokercrm_http::build_router(t.app.clone(), brokercrm_http::HttpConfig::default());
    let tasks: Vec<_> = calls.into_iter().map(|c| send(&router, c)).collect();
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    hold.rollback().await.unwrap();
    let mut answers = Vec::new();
    for task in tasks {
        answers.push(task.await.unwrap());
    }
    answers
}

fn call(token: &str, key: Option<&str>, from: i64, to: i64, amount: &str) -> Call {
    let body = json!({"sourceWalletId": from, "targetWalletId": to, "amount": amount});
    (token.to_owned(), key.map(str::to_owned), body)
}

#[tokio::test]
async fn a_batch_answers_each_transfer_on_its_own() {
    let t = TestApp::spawn().await;
    let admin = t.admin_token().await;
    let owner = t.customer().admin(&admin).with_wallet("USD", 100).with_wallet("USD", 0);
    let owner = owner.with_wallet("USD", 50).with_wallet("USD", 0).with_wallet("EUR", 0);
    let owner = owner.create().await;
    let [a, b, c, off, e] = owner.wallet_ids();
    let cust = owner.token;
    let foreign = t.customer().admin(&admin).with_wallet("USD", 0).create().await.wallets[0];
    t.server
        .post(&format!("/api/wallets/{off}/disable"))
        .authorization_bearer(&admin)
        .await
        .assert_status_ok();
    t.server
        .post("/api/exchange-rates")
        .authorization_bearer(&admin)
        .json(&json!({"fromCurrency": "USD", "toCurrency": "EUR", "source": "manual", "rate": 0.9}))
        .await
        .assert_status_ok();
    let (s, _) = transfer(&t, &cust, Some("first"), call(&cust, None, a, b, "1").2).await;
    assert_eq!(s, 200);

    let mut calls = vec![
        call(&cust, Some("first"), a, b, "1"), // replay of a stored transfer
        call(&cust, Some("first"), a, b, "2"), // its key with another body
        call(&cust, Some("c-over"), c, b, "60"), // more than c holds
        call(&cust, Some("c-all"), c, b, "50"),
        call(&cust, Some("off"), a, off, "1"),
        call(&cust, Some("foreign"), a, foreign, "1"),
        call(&admin, Some("staff"), a, c, "5"),
        call(&cust, Some("fx"), a, e, "10"),
    ];
    calls.extend((0..5).map(|_| call(&cust, Some("dup"), a, b, "10"))); // one key, five times
    let answers = queued_together(&t, calls).await;

    let ok = json!({"success": true});
    assert_eq!(answers[0], (200, ok.clone()), "replay");
    assert_eq!(answers[1].0, 409, "same key, other body: {:?}", answers[1]);
    assert_eq!((answers[2].0, field_of(&answers[2].1).as_str()), (422, "amount"));
    assert_eq!(answers[3], (200, ok.clone()), "c-all");
    assert_eq!((answers[4].0, field_of(&answers[4].1).as_str()), (422, "targetWalletId"));
    assert_eq!((answers[5].0, field_of(&answers[5].1).as_str()), (422, "targetWalletId"));
    assert_eq!(answers[6], (200, ok.clone()), "staff");
    assert_eq!(answers[7], (200, ok.clone()), "cross-currency");
    for dup in &answers[8..] {
        assert_eq!(dup, &(200, ok.clone()), "dup");
    }

    // a: 100 - 1 (first) - 5 (staff) - 10 (fx) - 10 (dup, once)
    assert_eq!(balance(&t, &admin, a).await["balance"], "74");
    assert_eq!(balance(&t, &admin, b).await["balance"], "61");
    assert_eq!(balance(&t, &admin, c).await["balance"], "5");
    assert_eq!(balance(&t, &admin, e).await["balance"], "9");
    assert_eq!(balance(&t, &admin, off).await["balance"], "0");
    assert_eq!(balance(&t, &admin, foreign).await["balance"], "0");
    let (_, txs) = manual(&t, &admin, a, json!({})).await; // an empty body lists
    let amounts: Vec<&str> = txs["transactions"]
        .as_array()
        .unwrap_or_else(|| panic!("{txs}"))
        .iter()
        .filter(|t| t["type"] == "WALLET_TRANSFER")
        .filter_map(|t| t["amount"].as_str())
        .collect();
    assert_eq!(amounts.len(), 4, "first, staff, fx, dup once: {amounts:?}");
    let audits: Value =
        t.server.get("/api/activities?limit=50&offset=0").authorization_bearer(&admin).await.json();
    let transfers = audits["activities"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["type"] == "wallet.transfer")
        .count();
    assert_eq!(transfers, 1, "only the staff transfer is audited, once");
    assert_verified(t.app.db()).await;
}

#[tokio::test]
async fn many_queued_transfers_through_one_account_never_overdraw() {
    let t = TestApp::spawn().await;
    let admin = t.admin_token().await;
    let usd = group(&t, &admin, "USD", "USD").await;
    let (cust, cust_id) = customer(&t).await;
    let hub = wallet(&t, &admin, &cust_id, usd).await;
    let mut spokes = Vec::new();
    for _ in 0..4 {
        spokes.push(wallet(&t, &admin, &cust_id, usd).await);
    }
    manual(&t, &admin, hub, json!({"type": "DEPOSIT", "amount": "7.5"})).await;
    // 40 transfers of 0.25 out of a hub holding 7.5: exactly 30 fit, whatever the batching.
    let calls =
        (0..40).map(|i| call(&cust, Some(&format!("k{i}")), hub, spokes[i % 4], "0.25")).collect();
    let answers = queued_together(&t, calls).await;
    let ok = answers.iter().filter(|(s, _)| *s == 200).count();
    let refused = answers.iter().filter(|(s, b)| *s == 422 && field_of(b) == "amount").count();
    assert_eq!((ok, refused), (30, 10), "{answers:?}");
    assert_eq!(balance(&t, &admin, hub).await["balance"], "0");
    let mut total = Money::ZERO;
    for s in &spokes {
        let b = balance(&t, &admin, *s).await;
        total = total
            .checked_add(Money::parse("balance", b["balance"].as_str().unwrap()).unwrap())
            .unwrap();
    }
    assert_eq!(total, Money::parse("total", "7.5").unwrap());
    assert_verified(t.app.db()).await;
}

/// A customer with two USD wallets, `a` holding 100.
struct Wallets {
    t: TestApp,
    admin: String,
    cust: String,
    cust_id: String,
    usd: i64,
    a: i64,
    b: i64,
}

impl Wallets {
    async fn open() -> Self {
        let t = TestApp::spawn().await;
        let admin = t.admin_token().await;
        let c =
            t.customer().admin(&admin).with_wallet("USD", 100).with_wallet("USD", 0).create().await;
        let usd = currency_group(&t, &admin, "USD").await;
        let (a, b) = (c.wallets[0], c.wallets[1]);
        Self { t, admin, cust: c.token, cust_id: c.uuid, usd, a, b }
    }
}

#[tokio::test]
async fn a_batch_whose_accounts_moved_after_it_read_them_decides_again() {
    use brokercrm_core::money::ledger::{AccountKind, NewTransfer, TransferCode, TransferId};
    use brokercrm_store::repo::money::ledger::{apply, batch};

    let Wallets { t, admin, cust, cust_id, usd, a, b } = Wallets::open().await;
    let funds = wallet(&t, &admin, &cust_id, usd).await;
    manual(&t, &admin, funds, json!({"type": "DEPOSIT", "amount": 50})).await;

    // Another writer holds the lock (and on PostgreSQL every account) while the transfer of
    // 120 out of `a` (holding 100) is read, then commits 50 more into `a` before the batch
    // gets to write: the batch must decide on 150, not on the 100 it read.
    let hold = hold_writes(&t).await;
    let router = brokercrm_http::build_router(t.app.clone(), brokercrm_http::HttpConfig::default());
    let sent = send(&router, call(&cust, None, a, b, "120"));
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let accounts = batch::of_wallets(&hold, &[a, funds], AccountKind::WalletBalance).await.unwrap();
    let account_of = |w: i64| accounts.iter().find(|x| x.wallet_id == Some(w)).unwrap().id;
    let top_up = NewTransfer {
        id: TransferId::generate(),
        debit_account_id: account_of(funds),
        credit_account_id: account_of(a),
        amount: Money::from_units(50).unwrap(),
        currency: brokercrm_core::Currency::parse("currency", "USD").unwrap(),
        code: TransferCode::WalletTransfer,
        user_data: None,
        pending: false,
    };
    apply::transfer(&hold, &top_up, "top-up").await.unwrap();
    hold.commit().await.unwrap();

    let (status, body) = sent.await.unwrap();
    assert_eq!(status, 200, "decided on the balance after the top-up: {body}");
    assert_eq!(balance(&t, &admin, a).await["balance"], "30");
    assert_eq!(balance(&t, &admin, b).await["balance"], "120");
    assert_eq!(balance(&t, &admin, funds).await["balance"], "0");
    assert_verified(t.app.db()).await;
}

#[tokio::test]
async fn money_moved_outside_the_batches_is_seen_by_the_next_batch() {
    let Wallets { t, admin, cust, a, b, .. } = Wallets::open().await;
    let (s, body) = transfer(
        &t,
        &cust,
        Some("first"),
        json!({"sourceWalletId": a, "targetWalletId": b, "amount": "10"}),
    )
    .await;
    assert_eq!(s, 200, "{body}");
    // A deposit outside the transfer batches, then a transfer that only it makes affordable.
    manual(&t, &admin, a, json!({"type": "DEPOSIT", "amount": 50})).await;
    let (s, body) = transfer(
        &t,
        &cust,
        Some("second"),
        json!({"sourceWalletId": a, "targetWalletId": b, "amount": "130"}),
    )
    .await;
    assert_eq!(s, 200, "{body}");
    // And a withdrawal of what is left, refused exactly past it.
    let (s, body) = transfer(
        &t,
        &cust,
        Some("third"),
        json!({"sourceWalletId": a, "targetWalletId": b, "amount": "10.01"}),
    )
    .await;
    assert_eq!((s, field_of(&body).as_str()), (422, "amount"), "{body}");
    assert_eq!(balance(&t, &admin, a).await["balance"], "10");
    assert_eq!(balance(&t, &admin, b).await["balance"], "140");
    assert_verified(t.app.db()).await;
}
