//! Clawback: a provider's chargeback of a completed deposit moves the money back (from the
//! wallet as far as it holds it, the rest the broker's loss) and takes back the CPA the
//! deposit earned at every level from commission not yet paid out, exactly once, even when
//! the chargeback arrives before the accrual ran. `ledger verify` stays clean.

use serde_json::{Value, json};

use crate::helpers::TestApp;
use crate::helpers::http::get;
use crate::helpers::money::{
    assert_verified, balance, callback, enable_test_provider, m, manual_ok, money_of, signed,
    start_deposit,
};
use crate::helpers::partners::{assign, make_ib, model, own_records, payable};
use crate::helpers::users::User;

/// A deposit of `amount` by `client` through the test provider, completed; its id.
async fn deposited(t: &TestApp, client: &User, amount: i64) -> String {
    let (s, b) = start_deposit(t, &client.token, client.wallets[0], amount).await;
    assert_eq!(s, 200, "{b}");
    let id = b["deposit"]["id"].as_str().unwrap().to_owned();
    assert_eq!(
        report(t, &id, "completed").await,
        (200, json!({"depositId": id, "status": "completed"}))
    );
    id
}

async fn report(t: &TestApp, id: &str, status: &str) -> (u16, Value) {
    let raw = json!({"depositId": id, "status": status}).to_string();
    callback(t, &raw, Some(&signed(&raw))).await
}

/// Admin, a two-level tree (parent ← child introducer), and a client of the child; CPA 100
/// at level 1 and 30 at level 2.
async fn tree(t: &TestApp) -> (String, User, User, User) {
    let admin = t.admin_token().await;
    enable_test_provider(t, &admin).await;
    let cpa = json!([{"level": 1, "cpaAmount": 100}, {"level": 2, "cpaAmount": 30}]);
    let id = model(t, &admin, "CPA two levels", cpa).await;
    let parent = t.customer().admin(&admin).with_wallet("USD", 0).create().await;
    make_ib(t, &admin, &parent.uuid, Some(id)).await;
    let child = t.customer().admin(&admin).with_wallet("USD", 0).create().await;
    make_ib(t, &admin, &child.uuid, Some(id)).await;
    assign(t, &admin, &child.uuid, &parent.uuid).await;
    let client = t.customer().admin(&admin).with_wallet("USD", 0).create().await;
    assign(t, &admin, &client.uuid, &child.uuid).await;
    (admin, parent, child, client)
}

fn chargebacks(records: &[Value]) -> Vec<Value> {
    records.iter().filter(|r| r["actionType"] == "CHARGEBACK").cloned().collect()
}

#[tokio::test]
async fn a_chargeback_claws_back_the_cpa_not_yet_paid_out_once() {
    let t = TestApp::spawn().await;
    let (admin, parent, child, client) = tree(&t).await;
    let w = client.wallets[0];
    let id = deposited(&t, &client, 200).await;
    t.run_jobs().await;
    assert_eq!((payable(&t, child.id).await, payable(&t, parent.id).await), (m("100"), m("30")));
    // The child asks for its 100 (reserved: not recoverable); the client spends 150.
    let ask = json!({"payoutWalletId": child.wallets[0]});
    let (s, b) = crate::helpers::http::post(&t, &child.token, "/api/me/payout-requests", ask).await;
    assert_eq!(s, 200, "{b}");
    manual_ok(&t, &admin, w, json!({"type": "WITHDRAWAL", "amount": 150})).await;

    // Not a completed deposit: 409; the chargeback: 200, and a redelivery answers the same.
    let (s, b) = start_deposit(&t, &client.token, w, 10).await;
    assert_eq!(s, 200, "{b}");
    let pending = b["deposit"]["id"].as_str().unwrap().to_owned();
    assert_eq!(report(&t, &pending, "chargeback").await.0, 409);
    for _ in 0..2 {
        let (s, b) = report(&t, &id, "chargeback").await;
        assert_eq!((s, b), (200, json!({"depositId": id, "status": "chargeback"})));
    }
    assert_eq!(report(&t, &id, "completed").await.0, 409);
    // The wallet held 50: it goes back, the other 150 is the broker's loss.
    assert_eq!(money_of(&balance(&t, &admin, w).await["balance"]), m("0"));
    let (s, b) = get(&t, &client.token, &format!("/api/me/deposits/{id}")).await;
    assert_eq!((s, b["deposit"]["status"].clone()), (200, json!("chargeback")), "{b}");
    let (s, b) = get(&t, &admin, &format!("/api/transactions?limit=10&walletId={w}")).await;
    assert_eq!(s, 200, "{b}");
    let corrections: Vec<&Value> = b["transactions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| x["type"] == "CORRECTION")
        .collect();
    assert_eq!(corrections.len(), 1, "{b}");

    t.run_jobs().await;
    t.run_jobs().await;
    // The parent's 30 came back; the child's 100 is reserved for its payout: nothing recovered.
    assert_eq!((payable(&t, child.id).await, payable(&t, parent.id).await), (m("100"), m("0")));
    let parent_cb = chargebacks(&own_records(&t, &parent.token).await);
    assert_eq!(parent_cb.len(), 1, "{parent_cb:?}");
    assert_eq!(parent_cb[0]["commissionAmount"], json!(-30.0));
    assert_eq!(parent_cb[0]["commissionType"], "CPA");
    let child_cb = chargebacks(&own_records(&t, &child.token).await);
    assert_eq!(child_cb.len(), 1, "{child_cb:?}");
    assert_eq!(child_cb[0]["commissionAmount"], json!(0.0));
    let details = child_cb[0]["actionDetails"].as_str().unwrap();
    assert!(details.contains("100 already paid out, not recovered"), "{details}");
    assert_verified(t.app.db()).await;
}

#[tokio::test]
async fn a_chargeback_before_the_accrual_ran_still_claws_back() {
    let t = TestApp::spawn().await;
    let (_, parent, child, client) = tree(&t).await;
    let id = deposited(&t, &client, 200).await;
    // Charged back before any job ran: the accrual and its clawback run in one batch.
    assert_eq!(report(&t, &id, "chargeback").await.0, 200);
    t.run_jobs().await;
    t.run_jobs().await;
    assert_eq!((payable(&t, child.id).await, payable(&t, parent.id).await), (m("0"), m("0")));
    let records = own_records(&t, &child.token).await;
    assert_eq!(records.len(), 2, "the CPA and its clawback: {records:?}");
    assert_eq!(chargebacks(&records)[0]["commissionAmount"], json!(-100.0));
    // A second deposit does not earn the CPA again (once per client).
    deposited(&t, &client, 300).await;
    t.run_jobs().await;
    assert_eq!(payable(&t, child.id).await, m("0"));
    assert_verified(t.app.db()).await;
}
