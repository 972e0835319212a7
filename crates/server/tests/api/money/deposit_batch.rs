//! Completed provider deposits through the deposit lane (issue 20, hot accounts): callbacks
//! of one provider sent together while writes are held, so they are written in one batch.
//! Each deposit posts once (its wallet credited once, the clearing account debited by the
//! sum), duplicates answer the same, a callback with another outcome is a conflict for that
//! deposit only, every completion is audited once and the ledger verifies.

use brokercrm_core::Money;
use brokercrm_core::money::ledger::AccountKey;
use brokercrm_store::repo::money::ledger::accounts as ledger_accounts;
use brokercrm_store::repo::money::payment_requests;
use futures_util::future::join_all;
use serde_json::{Value, json};

use crate::helpers::TestApp;
use crate::helpers::money::{
    assert_verified, balance, callback, enable_test_provider, hold_writes, money_of, signed,
    start_deposit,
};
use crate::helpers::platform::audited;

/// A callback: its raw body and signature.
type Call = (String, String);

/// The `completed` callback of deposit `id` (with a reference, and the amount when given).
fn completed(id: &str, amount: Option<i64>) -> Call {
    let mut body =
        json!({"depositId": id, "status": "completed", "reference": format!("psp-{id}")});
    if let Some(a) = amount {
        body["amount"] = json!(a.to_string());
    }
    let raw = body.to_string();
    let sig = signed(&raw);
    (raw, sig)
}

fn failed(id: &str) -> Call {
    let raw = json!({"depositId": id, "status": "failed"}).to_string();
    let sig = signed(&raw);
    (raw, sig)
}

/// Sends `calls` all at once while writes are held, so they queue and are written together.
async fn together(t: &TestApp, calls: &[Call]) -> Vec<(u16, Value)> {
    let hold = hold_writes(t).await;
    let sent = join_all(calls.iter().map(|(raw, sig)| callback(t, raw, Some(sig))));
    let release = async {
        tokio::time::sleep(std::time::Duration::from_millis(400)).await;
        hold.rollback().await.unwrap();
    };
    tokio::join!(sent, release).0
}

/// An admin, a customer with `wallets` USD wallets (empty) and the test provider enabled;
/// returns (admin, customer token, wallets).
async fn customer(t: &TestApp, wallets: usize) -> (String, String, Vec<i64>) {
    let admin = t.admin_token().await;
    enable_test_provider(t, &admin).await;
    let mut c = t.customer().admin(&admin);
    for _ in 0..wallets {
        c = c.with_wallet("USD", 0);
    }
    let c = c.create().await;
    (admin, c.token, c.wallets)
}

/// Starts a deposit of `amount` into `wallet`; returns its id.
async fn start(t: &TestApp, token: &str, wallet: i64, amount: i64) -> String {
    let (s, b) = start_deposit(t, token, wallet, amount).await;
    assert_eq!(s, 200, "{b}");
    b["deposit"]["id"].as_str().unwrap().to_owned()
}

/// The test provider's USD clearing account balance.
async fn clearing(t: &TestApp) -> Money {
    let key =
        AccountKey::cash_clearing("test", brokercrm_core::Currency::parse("c", "USD").unwrap())
            .unwrap()
            .key();
    let row = ledger_accounts::find_by_key(t.app.db().conn(), &key).await.unwrap().unwrap();
    Money::from_minor(row.balance)
}

/// At least two of the deposits `ids` were completed by one batch (a failed batch runs each
/// callback alone, which would answer the same): requests moved by one statement share its
/// time.
async fn assert_batched(t: &TestApp, ids: &[String]) {
    let rows = payment_requests::find_many(t.app.db().conn(), ids).await.unwrap();
    let mut times: Vec<_> = rows.iter().map(|r| r.updated_at).collect();
    times.sort();
    times.dedup();
    assert!(times.len() < ids.len(), "no two completions shared a batch: {times:?}");
}

fn usd(units: i64) -> Money {
    Money::parse("amount", &units.to_string()).unwrap()
}

#[tokio::test]
async fn concurrent_completions_of_one_provider_post_each_deposit_once() {
    let t = TestApp::spawn().await;
    let (admin, cust, wallets) = customer(&t, 4).await;
    // A first deposit alone (it opens the clearing account).
    let first = start(&t, &cust, wallets[0], 100).await;
    let (raw, sig) = completed(&first, Some(100));
    assert_eq!(callback(&t, &raw, Some(&sig)).await.0, 200);
    let audits_before = audited(&t, "deposit.callback").await;

    // 24 deposits of 1..=24 spread over the wallets, completed all at once.
    let mut ids = Vec::new();
    for i in 0..24 {
        ids.push(start(&t, &cust, wallets[i % 4], i as i64 + 1).await);
    }
    let calls: Vec<Call> =
        ids.iter().enumerate().map(|(i, id)| completed(id, Some(i as i64 + 1))).collect();
    let answers = together(&t, &calls).await;
    for ((s, body), id) in answers.iter().zip(&ids) {
        assert_eq!(*s, 200, "{body}");
        assert_eq!(body, &json!({"depositId": id, "status": "completed"}));
    }

    let rows = payment_requests::find_many(t.app.db().conn(), &ids).await.unwrap();
    assert_eq!(rows.len(), 24);
    for r in &rows {
        assert_eq!(r.status, "completed", "{}", r.id);
        assert_eq!(r.external_id.as_deref(), Some(format!("psp-{}", r.id).as_str()));
    }
    assert_batched(&t, &ids).await;

    // Wallet w gets the deposits i ≡ w (mod 4), the first 100 on wallet 0.
    for (w, id) in wallets.iter().enumerate() {
        let sum: i64 = (0..24).filter(|i| i % 4 == w).map(|i| i as i64 + 1).sum();
        let extra = if w == 0 { 100 } else { 0 };
        assert_eq!(money_of(&balance(&t, &admin, *id).await["balance"]), usd(sum + extra));
    }
    let total: i64 = (1..=24).sum::<i64>() + 100;
    assert_eq!(clearing(&t).await, usd(-total));
    assert_eq!(audited(&t, "deposit.callback").await - audits_before, 24);
    assert_verified(t.app.db()).await;
}

#[tokio::test]
async fn duplicate_completions_in_one_batch_post_once_and_answer_the_same() {
    let t = TestApp::spawn().await;
    let (admin, cust, wallets) = customer(&t, 2).await;
    let mut ids = Vec::new();
    for i in 0..6 {
        ids.push(start(&t, &cust, wallets[i % 2], 10).await);
    }
    let audits_before = audited(&t, "deposit.callback").await;
    // Each callback four times over, interleaved.
    let calls: Vec<Call> = (0..4).flat_map(|_| ids.iter().map(|id| completed(id, None))).collect();
    let answers = together(&t, &calls).await;
    for ((s, body), (raw, _)) in answers.iter().zip(&calls) {
        assert_eq!(*s, 200, "{body}");
        let sent: Value = serde_json::from_str(raw).unwrap();
        assert_eq!(body, &json!({"depositId": sent["depositId"], "status": "completed"}));
    }
    for w in &wallets {
        assert_eq!(money_of(&balance(&t, &admin, *w).await["balance"]), usd(30), "credited once");
    }
    assert_eq!(clearing(&t).await, usd(-60));
    assert_eq!(audited(&t, "deposit.callback").await - audits_before, 6);
    assert_batched(&t, &ids).await;
    // Redelivered after the batch: the same answer, nothing moves.
    let (raw, sig) = completed(&ids[0], None);
    let (s, body) = callback(&t, &raw, Some(&sig)).await;
    assert_eq!((s, body), (200, json!({"depositId": ids[0], "status": "completed"})));
    assert_eq!(clearing(&t).await, usd(-60));
    assert_verified(t.app.db()).await;
}

#[tokio::test]
async fn a_conflicting_callback_in_a_batch_fails_alone() {
    let t = TestApp::spawn().await;
    let (admin, cust, wallets) = customer(&t, 1).await;
    let w = wallets[0];
    let mut ids = Vec::new();
    for _ in 0..8 {
        ids.push(start(&t, &cust, w, 5).await);
    }
    // Deposit 0 failed before; deposit 1 gets `failed` and `completed` at once; deposit 2 a
    // completion with the wrong amount besides its right one.
    let (raw, sig) = failed(&ids[0]);
    assert_eq!(callback(&t, &raw, Some(&sig)).await.0, 200);
    let mut calls: Vec<Call> = ids.iter().map(|id| completed(id, None)).collect();
    calls.push(failed(&ids[1]));
    calls.push(completed(&ids[2], Some(6)));
    let answers = together(&t, &calls).await;

    assert_eq!(answers[0].0, 409, "completed after failed: {:?}", answers[0]);
    for (i, (s, body)) in answers.iter().enumerate().take(8).skip(2) {
        assert_eq!(*s, 200, "deposit {i}: {body}");
    }
    assert_eq!(answers[9].0, 422, "wrong amount: {:?}", answers[9]);
    // Of deposit 1's two outcomes exactly one wins; the other is a conflict.
    let (done, fail) = (answers[1].0, answers[8].0);
    assert!(matches!((done, fail), (200, 409) | (409, 200)), "{:?} {:?}", answers[1], answers[8]);
    let now = payment_requests::find(t.app.db().conn(), &ids[1]).await.unwrap().unwrap();
    let posted = if done == 200 { 7 } else { 6 };
    assert_eq!(now.status, if done == 200 { "completed" } else { "failed" });
    assert_eq!(money_of(&balance(&t, &admin, w).await["balance"]), usd(5 * posted));
    assert_eq!(clearing(&t).await, usd(-5 * posted));
    assert_batched(&t, &ids[2..]).await;
    assert_verified(t.app.db()).await;
}
