//! The client's own wallets through the real router: open, list, balances, leverages, one
//! wallet, its balance and transactions by date range; another customer's wallet is 404 and
//! the staff operations are forbidden to customers.

use serde_json::{Value, json};

use crate::helpers::TestApp;
use crate::helpers::assert::field_of;
use crate::helpers::http::urlencode;
use crate::helpers::money::{manual, transfer};
use crate::helpers::users::customer;

#[tokio::test]
async fn client_wallet_operations_see_only_their_own_wallets() {
    let t = TestApp::spawn().await;
    let admin = t.admin_token().await;
    let (cust, _) = customer(&t).await;
    let (other, _) = customer(&t).await;

    let r = t
        .server
        .post("/api/me/wallets")
        .authorization_bearer(&cust)
        .json(&json!({"leverage": "1:200", "currency": "EUR", "isDemo": false}))
        .await;
    r.assert_status_ok();
    let w: Value = r.json();
    let id = w["id"].as_i64().unwrap();
    assert_eq!(
        (w["currency"].clone(), w["leverage"].clone(), w["platform"].clone()),
        (json!("EUR"), json!(200), json!("NEO"))
    );
    assert_eq!(w["transactions"], json!([]));
    assert_eq!(w["instrumentWatchlist"], json!([]));
    let r = t
        .server
        .post("/api/me/wallets")
        .authorization_bearer(&cust)
        .json(&json!({"leverage": "7"}))
        .await;
    assert_eq!(field_of(&r.json()), "leverage");
    let r = t.server.post("/api/me/wallets").authorization_bearer(&admin).json(&json!({})).await;
    r.assert_status_forbidden();

    manual(&t, &admin, id, json!({"type": "DEPOSIT", "amount": 40})).await;
    manual(&t, &admin, id, json!({"type": "BONUS", "amount": 5, "addToCredit": true})).await;

    let list: Value = t.server.get("/api/me/wallets").authorization_bearer(&cust).await.json();
    assert_eq!(list["pages"], 1);
    assert_eq!(list["wallets"][0]["id"], id);
    assert_eq!(list["wallets"][0]["balance"], "40");
    let bal: Value =
        t.server.get("/api/me/wallets/balances").authorization_bearer(&cust).await.json();
    assert_eq!(
        bal,
        json!({"wallets": [{"id": id, "currency": "EUR", "isDemo": false, "balance": "40", "credit": "5",
                             "equity": "45", "margin": "0", "freeMargin": "45", "marginLevel": null}]})
    );
    let lev: Value =
        t.server.get("/api/me/wallets/leverages").authorization_bearer(&cust).await.json();
    assert!(lev["leverages"].as_array().unwrap().contains(&json!(100)));
    let one: Value =
        t.server.get(&format!("/api/me/wallets/{id}")).authorization_bearer(&cust).await.json();
    assert_eq!(
        (one["balance"].clone(), one["credit"].clone(), one["equity"].clone()),
        (json!("40"), json!("5"), json!("45"))
    );
    assert_eq!(one["transactions"].as_array().unwrap().len(), 2);
    let b: Value = t
        .server
        .get(&format!("/api/me/wallets/{id}/balance"))
        .authorization_bearer(&cust)
        .await
        .json();
    assert_eq!(b["balance"], "40");

    let now = chrono::Utc::now();
    let range = |from: chrono::DateTime<chrono::Utc>, to: chrono::DateTime<chrono::Utc>| {
        format!(
            "/api/me/wallets/{id}/transactions?startDate={}&endDate={}",
            urlencode(&from.to_rfc3339()),
            urlencode(&to.to_rfc3339())
        )
    };
    let hour = chrono::Duration::hours(1);
    let r: Value =
        t.server.get(&range(now - hour, now + hour)).authorization_bearer(&cust).await.json();
    assert_eq!(r["transactions"].as_array().unwrap().len(), 2, "{r}");
    let r: Value = t
        .server
        .get(&range(now + hour, now + hour + hour))
        .authorization_bearer(&cust)
        .await
        .json();
    assert_eq!(r["transactions"], json!([]));
    let r = t
        .server
        .get(&format!("/api/me/wallets/{id}/transactions"))
        .authorization_bearer(&cust)
        .await;
    assert_eq!(r.status_code(), 422);
    assert_eq!(field_of(&r.json()), "startDate");
    let r = t.server.get(&range(now + hour, now - hour)).authorization_bearer(&cust).await;
    assert_eq!(field_of(&r.json()), "endDate");

    // another customer sees nothing of it
    for path in [
        format!("/api/me/wallets/{id}"),
        format!("/api/me/wallets/{id}/balance"),
        range(now - hour, now + hour),
    ] {
        t.server.get(&path).authorization_bearer(&other).await.assert_status_not_found();
    }
    let theirs: Value = t.server.get("/api/me/wallets").authorization_bearer(&other).await.json();
    assert_eq!(theirs, json!({"wallets": [], "pages": 0}));
    let (s, _) = transfer(
        &t,
        &other,
        None,
        json!({"sourceWalletId": id, "targetWalletId": id + 1, "amount": 1}),
    )
    .await;
    assert_eq!(s, 422);
    // and customers cannot use the staff operations
    t.server.get("/api/wallets").authorization_bearer(&cust).await.assert_status_forbidden();
    t.server
        .get(&format!("/api/wallets/{id}"))
        .authorization_bearer(&cust)
        .await
        .assert_status_forbidden();
    assert_eq!(manual(&t, &cust, id, json!({"type": "DEPOSIT", "amount": 1})).await.0, 403);
}

#[tokio::test]
async fn demo_wallets_are_topped_up_through_the_ledger() {
    let t = TestApp::spawn().await;
    let (cust, _) = customer(&t).await;
    let (other, _) = customer(&t).await;
    let open = |token: String, demo: bool| {
        let t = &t;
        async move {
            let r = t
                .server
                .post("/api/me/wallets")
                .authorization_bearer(&token)
                .json(&json!({"leverage": "1:100", "currency": "USD", "isDemo": demo}))
                .await;
            r.assert_status_ok();
            r.json::<Value>()["id"].as_i64().unwrap()
        }
    };
    let demo = open(cust.clone(), true).await;
    let real = open(cust.clone(), false).await;
    let others = open(other.clone(), true).await;
    let top_up = |body: Value| {
        t.server.post("/api/payment-providers/demo/top-up").authorization_bearer(&cust).json(&body)
    };

    for _ in 0..2 {
        let r = top_up(json!({"walletId": demo, "amount": "10000.5", "currency": "USD"})).await;
        r.assert_status_ok();
        assert_eq!(r.json::<Value>()["success"], true);
    }
    let r = top_up(json!({"walletId": demo, "amount": "0.25"})).await;
    assert_eq!(r.json::<Value>(), json!({"success": true, "newBalance": 20001.25}));

    for (body, field) in [
        (json!({"walletId": real, "amount": "5"}), "walletId"),
        (json!({"walletId": others, "amount": "5"}), "walletId"),
        (json!({"walletId": 99999, "amount": "5"}), "walletId"),
        (json!({"walletId": demo, "amount": "0"}), "amount"),
        (json!({"walletId": demo, "amount": "1000000.01"}), "amount"),
        (json!({"walletId": demo, "amount": "1e3"}), "amount"),
        (json!({"walletId": demo, "amount": "5", "currency": "EUR"}), "currency"),
    ] {
        let r = top_up(body.clone()).await;
        assert_eq!(r.status_code().as_u16(), 422, "{body}");
        assert_eq!(field_of(&r.json()), field, "{body}");
    }
    let b: Value = t
        .server
        .get(&format!("/api/me/wallets/{demo}/balance"))
        .authorization_bearer(&cust)
        .await
        .json();
    assert_eq!(b["balance"], "20001.25", "{b}");
    let report = brokercrm_app::money::ledger::verify(t.app.db()).await.unwrap();
    assert!(report.is_clean(), "{report:?}");
}
