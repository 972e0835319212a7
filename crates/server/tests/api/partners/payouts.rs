//! Payout requests and corrections: the introducer asks for its available commission (one
//! pending at a time, a minimum), staff approve (a COMMISSION_PAYOUT into the payout wallet)
//! or reject with a reason, and of the two racing exactly one wins; a correction posts the
//! difference; an introducer sees only its own (404 otherwise).

use serde_json::{Value, json};

use crate::helpers::TestApp;
use crate::helpers::assert::field_of;
use crate::helpers::http::{get, post, put};
use crate::helpers::money::{assert_verified, balance, m, manual_ok, money_of};
use crate::helpers::partners::{assign, make_ib, model, own_records, payable};
use crate::helpers::users::User;

/// Admin, an introducer (a customer with a USD payout wallet) earning a 100 USD CPA from one
/// client's deposit.
async fn earned(t: &TestApp) -> (String, User, User) {
    let admin = t.admin_token().await;
    let id = model(t, &admin, "CPA", json!([{"level": 1, "cpaAmount": 100}])).await;
    let ib = t.customer().admin(&admin).with_wallet("USD", 0).create().await;
    make_ib(t, &admin, &ib.uuid, Some(id)).await;
    let client = t.customer().admin(&admin).with_wallet("USD", 0).create().await;
    assign(t, &admin, &client.uuid, &ib.uuid).await;
    manual_ok(t, &admin, client.wallets[0], json!({"type": "DEPOSIT", "amount": 10})).await;
    t.run_jobs().await;
    assert_eq!(payable(t, ib.id).await, m("100"));
    (admin, ib, client)
}

async fn ask(t: &TestApp, token: &str, wallet: i64) -> (u16, Value) {
    post(t, token, "/api/me/payout-requests", json!({"payoutWalletId": wallet})).await
}

async fn own_requests(t: &TestApp, token: &str) -> Vec<Value> {
    let (s, b) = get(t, token, "/api/me/payout-requests?order=ASC").await;
    assert_eq!(s, 200, "{b}");
    b["payoutRequests"].as_array().unwrap().clone()
}

#[tokio::test]
async fn a_payout_is_requested_once_and_exactly_one_racing_decision_wins() {
    let t = TestApp::spawn().await;
    let (admin, ib, client) = earned(&t).await;
    let wallet = ib.wallets[0];
    // Not a wallet of the introducer's; not an introducer at all.
    let (s, b) = ask(&t, &ib.token, client.wallets[0]).await;
    assert_eq!((s, json!(field_of(&b))), (422, json!("payoutWalletId")), "{b}");
    assert_eq!(ask(&t, &client.token, client.wallets[0]).await.0, 404);
    let (s, _) = get(&t, &client.token, "/api/me/payout-requests/pending").await;
    assert_eq!(s, 404);
    let (s, b) = get(&t, &ib.token, "/api/me/payout-requests/pending").await;
    assert_eq!((s, b), (200, json!({"hasPendingPayoutRequest": false})));
    let (s, b) = ask(&t, &ib.token, wallet).await;
    assert_eq!((s, b), (200, json!({"success": true})));
    assert_eq!(ask(&t, &ib.token, wallet).await.0, 409, "one pending at a time");
    let (_, b) = get(&t, &ib.token, "/api/me/payout-requests/pending").await;
    assert_eq!(b["hasPendingPayoutRequest"], true);
    let mine = own_requests(&t, &ib.token).await;
    assert_eq!(mine.len(), 1);
    let id = mine[0]["id"].as_i64().unwrap();
    assert_eq!(
        (mine[0]["amount"].clone(), mine[0]["status"].clone()),
        (json!(100.0), json!("PENDING"))
    );
    assert_eq!(mine[0]["payoutWalletId"], wallet);
    let (s, b) = get(&t, &ib.token, &format!("/api/me/payout-requests/{id}")).await;
    assert_eq!((s, b["payoutRequest"]["id"].clone()), (200, json!(id)));
    // Another introducer sees none of it.
    let other = t.customer().admin(&admin).create().await;
    make_ib(&t, &admin, &other.uuid, None).await;
    assert_eq!(get(&t, &other.token, &format!("/api/me/payout-requests/{id}")).await.0, 404);
    assert!(own_requests(&t, &other.token).await.is_empty());
    assert!(own_records(&t, &other.token).await.is_empty());
    // The record inside the pending request cannot be corrected meanwhile.
    let record = own_records(&t, &ib.token).await[0]["id"].as_i64().unwrap();
    let body = json!({"correctedCommissionAmount": 90, "adminComments": "typo"});
    assert_eq!(put(&t, &admin, &format!("/api/commission-ledgers/{record}"), body).await.0, 409);
    // Staff list it; approve and reject race: one wins, the other is 409.
    let (s, b) =
        get(&t, &admin, "/api/payout-requests?limit=10&offset=0&order=DESC&statuses=PENDING").await;
    assert_eq!((s, b["count"].clone()), (200, json!(1)), "{b}");
    let approve =
        t.server.post(&format!("/api/payout-requests/{id}/approve")).authorization_bearer(&admin);
    let reject = t
        .server
        .post(&format!("/api/payout-requests/{id}/reject"))
        .authorization_bearer(&admin)
        .json(&json!({"rejectReason": "documents missing"}));
    let (a, r) = tokio::join!(approve, reject);
    let codes = [a.status_code().as_u16(), r.status_code().as_u16()];
    assert!(codes == [200, 409] || codes == [409, 200], "{codes:?}");
    let (_, b) = get(&t, &admin, &format!("/api/payout-requests/{id}")).await;
    let held = balance(&t, &admin, wallet).await;
    if codes[0] == 200 {
        assert_eq!(b["status"], "APPROVED");
        assert_eq!(b["transaction"]["type"], "COMMISSION_PAYOUT");
        assert_eq!(money_of(&held["balance"]), m("100"));
        assert_eq!(payable(&t, ib.id).await, m("0"));
        assert_eq!(own_records(&t, &ib.token).await[0]["status"], "PAIDOUT");
    } else {
        assert_eq!(
            (b["status"].clone(), b["rejectReason"].clone()),
            (json!("REJECTED"), json!("documents missing"))
        );
        assert_eq!(money_of(&held["balance"]), m("0"));
        assert_eq!(payable(&t, ib.id).await, m("100"));
        assert_eq!(own_records(&t, &ib.token).await[0]["status"], "PENDING");
    }
    assert!(b["admin"]["email"].as_str().is_some());
    let (_, b) = get(&t, &ib.token, "/api/me/payout-requests/pending").await;
    assert_eq!(b["hasPendingPayoutRequest"], false);
    assert_verified(t.app.db()).await;
}

#[tokio::test]
async fn corrections_post_the_difference_and_payouts_respect_the_minimum() {
    let t = TestApp::spawn().await;
    let (admin, ib, _) = earned(&t).await;
    let record = own_records(&t, &ib.token).await[0]["id"].as_i64().unwrap();
    let path = format!("/api/commission-ledgers/{record}");
    let (s, b) = put(
        &t,
        &admin,
        &path,
        json!({"correctedCommissionAmount": "120.5", "adminComments": "bonus tier"}),
    )
    .await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(
        (b["commissionAmount"].clone(), b["correctedCommissionAmount"].clone()),
        (json!(100.0), json!(120.5))
    );
    assert_eq!(b["adminComments"], "bonus tier");
    assert_eq!(payable(&t, ib.id).await, m("120.5"));
    let (s, b) = put(&t, &admin, &path, json!({"correctedCommissionAmount": 40})).await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(payable(&t, ib.id).await, m("40"), "the difference goes back");
    let (s, b) = get(&t, &ib.token, "/api/me/affiliate-earnings").await;
    assert_eq!((s, b), (200, json!({"earnings": 40.0})), "earnings are the amounts in force");
    let stranger = t.customer().admin(&admin).create().await;
    let (s, b) = get(&t, &stranger.token, "/api/me/affiliate-earnings").await;
    assert_eq!((s, b), (200, json!({"earnings": 0.0})));
    let manager = t.token_for(brokercrm_core::identity::auth::Role::Manager).await;
    assert_eq!(get(&t, &manager, "/api/me/affiliate-earnings").await.0, 403);
    let (s, b) = put(&t, &admin, &path, json!({"correctedCommissionAmount": -1})).await;
    assert_eq!((s, json!(field_of(&b))), (422, json!("correctedCommissionAmount")));
    let (s, _) = put(&t, &ib.token, &path, json!({"correctedCommissionAmount": 1000})).await;
    assert_eq!(s, 403);
    let (s, b) = get(&t, &admin, &path).await;
    assert_eq!((s, b["correctedCommissionAmount"].clone()), (200, json!(40.0)));
    assert_eq!(get(&t, &ib.token, &path).await.0, 403);
    let (s, b) = get(&t, &admin, "/api/commission-ledgers?limit=10&offset=0&orderBy=ASC").await;
    assert_eq!((s, b.as_array().map(Vec::len)), (200, Some(1)));
    // 40 is below the default minimum of 50; a lower minimum lets it through.
    let (s, b) = ask(&t, &ib.token, ib.wallets[0]).await;
    assert_eq!(s, 422, "{b}");
    brokercrm_store::repo::platform::settings::put(
        t.app.db().conn(),
        "commission_payout_minimum",
        "25",
        false,
    )
    .await
    .unwrap();
    assert_eq!(ask(&t, &ib.token, ib.wallets[0]).await.0, 200);
    let id = own_requests(&t, &ib.token).await[0]["id"].as_i64().unwrap();
    let (s, b) = post(&t, &admin, &format!("/api/payout-requests/{id}/approve"), json!({})).await;
    assert_eq!((s, b["status"].clone()), (200, json!("APPROVED")), "{b}");
    assert_eq!(money_of(&balance(&t, &admin, ib.wallets[0]).await["balance"]), m("40"));
    let (s, _) = post(&t, &admin, &format!("/api/payout-requests/{id}/reject"), json!({})).await;
    assert_eq!(s, 409, "decided once");
    // A paid record corrected down beyond what is left is refused and changes nothing.
    let (s, _) = put(&t, &admin, &path, json!({"correctedCommissionAmount": 0})).await;
    assert_eq!(s, 422);
    assert_eq!(payable(&t, ib.id).await, m("0"));
    assert_verified(t.app.db()).await;
}
