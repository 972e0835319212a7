//! The deposit callback flow: a client starts a deposit with the test provider, the provider
//! calls back signed with HMAC-SHA256 over the raw body. A bad signature is 401 and changes
//! nothing; a replay answers the same and posts one deposit; the FTD is recorded once.

use axum::http::{HeaderName, HeaderValue};
use brokercrm_app::money::transactions::deposits::sign;
use serde_json::{Value, json};

use crate::helpers::assert::field_of;
use crate::helpers::distribution as fx;
use crate::helpers::money::{
    assert_verified, balance, callback, enable_test_provider, funded, group, signed,
    start_deposit as start, wallet,
};
use crate::helpers::{TestApp, assert_error};

#[tokio::test]
async fn a_signed_callback_posts_one_deposit_and_replays_change_nothing() {
    let t = TestApp::spawn().await;
    let (admin, cust, _, w) = funded(&t, 0).await;
    let (s, b) = start(&t, &cust, w, 250).await;
    assert_eq!(s, 200, "{b}");
    let id = b["deposit"]["id"].as_str().unwrap().to_owned();
    assert_eq!(b["deposit"]["status"], "pending");
    assert_eq!(balance(&t, &admin, w).await["balance"], "0");

    let raw =
        json!({"depositId": id, "status": "completed", "reference": "psp-1", "amount": "250"})
            .to_string();
    // Unsigned, wrongly signed, signed with another secret, or a tampered body: 401, nothing moves.
    let other = sign(b"another-secret", raw.as_bytes()).unwrap();
    let tampered = raw.replace("250", "2500");
    for (body, sig) in [
        (raw.as_str(), None),
        (raw.as_str(), Some("sha256=00")),
        (raw.as_str(), Some(other.as_str())),
        (raw.as_str(), Some("garbage")),
        (tampered.as_str(), Some(signed(&raw)).as_deref()),
    ] {
        let (s, b) = callback(&t, body, sig).await;
        assert_eq!(s, 401, "{b}");
        assert_error(&b, "unauthorized");
    }
    assert_eq!(balance(&t, &admin, w).await["balance"], "0");
    let r = t.server.get(&format!("/api/me/deposits/{id}")).authorization_bearer(&cust).await;
    assert_eq!(r.json::<Value>()["deposit"]["status"], "pending");

    let sig = signed(&raw);
    let (s, first) = callback(&t, &raw, Some(&sig)).await;
    assert_eq!(s, 200, "{first}");
    assert_eq!(first, json!({"depositId": id, "status": "completed"}));
    assert_eq!(balance(&t, &admin, w).await["balance"], "250");
    for _ in 0..3 {
        let (s, again) = callback(&t, &raw, Some(&sig)).await;
        assert_eq!((s, &again), (200, &first), "a redelivery answers the same");
    }
    assert_eq!(balance(&t, &admin, w).await["balance"], "250", "posted once");
    // The other outcome after the fact is a conflict.
    let failed = json!({"depositId": id, "status": "failed"}).to_string();
    assert_eq!(callback(&t, &failed, Some(&signed(&failed))).await.0, 409);

    let list: Value = t
        .server
        .get(&format!("/api/transactions?limit=10&offset=0&walletId={w}&type=DEPOSIT"))
        .authorization_bearer(&admin)
        .await
        .json();
    let rows = list["transactions"].as_array().unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["id"], id.as_str());
    assert_eq!(rows[0]["status"], "completed");
    assert_eq!(rows[0]["provider"], "test");
    assert_eq!(rows[0]["externalId"], "psp-1");
    let r = t.server.get(&format!("/api/me/deposits/{id}")).authorization_bearer(&cust).await;
    assert_eq!(r.json::<Value>()["deposit"]["status"], "completed");

    // Unknown deposits, bad outcomes, wrong amounts.
    let unknown = json!({"depositId": "nope", "status": "completed"}).to_string();
    assert_eq!(callback(&t, &unknown, Some(&signed(&unknown))).await.0, 404);
    let (_, b2) = start(&t, &cust, w, 10).await;
    let id2 = b2["deposit"]["id"].as_str().unwrap();
    let bad = json!({"depositId": id2, "status": "paid"}).to_string();
    let (s, b) = callback(&t, &bad, Some(&signed(&bad))).await;
    assert_eq!((s, field_of(&b)), (422, "status".to_owned()));
    let wrong = json!({"depositId": id2, "status": "completed", "amount": "11"}).to_string();
    let (s, b) = callback(&t, &wrong, Some(&signed(&wrong))).await;
    assert_eq!((s, field_of(&b)), (422, "amount".to_owned()));
    let fail = json!({"depositId": id2, "status": "failed"}).to_string();
    assert_eq!(callback(&t, &fail, Some(&signed(&fail))).await.0, 200);
    assert_eq!(balance(&t, &admin, w).await["balance"], "250");

    // Starting needs an enabled provider, an own wallet and a positive amount.
    let (s, b) = start(&t, &cust, w + 1000, 10).await;
    assert_eq!((s, field_of(&b)), (422, "walletId".to_owned()));
    let (s, b) = start(&t, &cust, w, 0).await;
    assert_eq!((s, field_of(&b)), (422, "amount".to_owned()));
    assert_verified(t.app.db()).await;
}

#[tokio::test]
async fn the_first_provider_deposit_of_a_pushed_lead_records_one_ftd() {
    let t = TestApp::spawn().await;
    let (aff, _, _) = fx::simple(&t).await;
    let (b, lead) = fx::push_accepted(&t, &aff, &fx::seed_body()).await;
    let url = b["auto_login_url"].as_str().unwrap();
    t.server
        .get(&url[url.find("/auto-login/").unwrap()..])
        .add_header(HeaderName::from_static("accept"), HeaderValue::from_static("application/json"))
        .await
        .assert_status_ok();
    let conn = t.app.db().conn();
    let crm = brokercrm_store::repo::distribution::crm_leads::find_by_lead(conn, lead.id)
        .await
        .unwrap()
        .unwrap();
    let customer =
        brokercrm_store::repo::identity::users::find_by_id(conn, crm.customer_id.unwrap())
            .await
            .unwrap()
            .unwrap();
    let token = brokercrm_app::identity::tokens::access_token(&t.app, &customer, None).unwrap();
    let admin = t.admin_token().await;
    enable_test_provider(&t, &admin).await;
    let g = group(&t, &admin, "USD", "USD").await;
    let w = wallet(&t, &admin, &customer.uuid, g).await;
    let ftds = || fx::crm_ftds(&t, lead.id);
    assert_eq!(ftds().await, 0);
    for amount in [100, 50] {
        let (s, d) = start(&t, &token, w, amount).await;
        assert_eq!(s, 200, "{d}");
        let raw = json!({"depositId": d["deposit"]["id"], "status": "completed"}).to_string();
        let sig = signed(&raw);
        for _ in 0..2 {
            assert_eq!(callback(&t, &raw, Some(&sig)).await.0, 200);
        }
        assert_eq!(ftds().await, 1, "one FTD however many deposits and deliveries");
    }
    assert_eq!(balance(&t, &admin, w).await["balance"], "150");
}
