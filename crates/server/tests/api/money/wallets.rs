//! Wallets and trading groups through the real router: every operation's happy path,
//! validation naming the field, ownership (404 for another customer's wallet), manual
//! transactions then balances, transfers between own wallets with the ledger verified,
//! idempotent replays, and concurrent transfers that never overdraw.

use brokercrm_core::identity::auth::Role;
use serde_json::{Value, json};

use crate::helpers::assert::field_of;
use crate::helpers::http::{count_ok_else_422, json_request, send_concurrently};
use crate::helpers::money::{assert_verified, balance, group, manual, transfer, wallet};
use crate::helpers::users::customer;
use crate::helpers::{TestApp, assert_error};

#[tokio::test]
async fn trading_groups_crud_validation_and_permissions() {
    let t = TestApp::spawn().await;
    let admin = t.admin_token().await;
    let id = group(&t, &admin, "Standard USD", "USD").await;

    let g: Value =
        t.server.get(&format!("/api/groups/{id}")).authorization_bearer(&admin).await.json();
    let g = &g["group"];
    assert_eq!(g["name"], "Standard USD");
    assert_eq!(g["leverage"], 200);
    assert_eq!(g["currency"], "USD");
    assert_eq!(g["adapterName"], "neo");
    assert_eq!(g["disableSwapCharges"], false);
    assert_eq!(g["markups"], json!([]));
    assert_eq!(g["marginCallLevel"], 100.0);
    assert_eq!(g["stopOutLevel"], 50.0);

    let upd = json!({"leverage": 100, "markups": [{"symbol": "EURUSD", "points": 5}],
        "commissions": [{"symbol": "EURUSD", "perLot": 3}], "marginCallLevel": 80.25,
        "stopOutLevel": 30, "adapterName": "neo", "disableSwapCharges": true});
    let r =
        t.server.put(&format!("/api/groups/{id}")).authorization_bearer(&admin).json(&upd).await;
    r.assert_status_ok();
    let g = r.json::<Value>()["group"].clone();
    assert_eq!(g["leverage"], 100);
    assert_eq!(g["markups"][0]["symbol"], "EURUSD");
    assert_eq!(g["stopOutLevel"], 30.0);
    assert_eq!(g["marginCallLevel"], 80.25, "levels are exact to 0.01 %");
    assert_eq!(g["disableSwapCharges"], true);

    let list: Value = t.server.get("/api/groups").authorization_bearer(&admin).await.json();
    assert_eq!(list["groups"].as_array().unwrap().len(), 1);

    // validation names the field; a taken name conflicts
    for (body, field) in [
        (
            json!({"name": "x", "leverage": 0, "currency": "USD", "adapterName": "neo", "disableSwapCharges": false}),
            "leverage",
        ),
        (
            json!({"name": "x", "leverage": 10, "currency": "usd", "adapterName": "neo", "disableSwapCharges": false}),
            "currency",
        ),
        (
            json!({"name": "x", "leverage": 10, "currency": "USD", "adapterName": "nope", "disableSwapCharges": false}),
            "adapterName",
        ),
        (
            json!({"name": "x", "leverage": 10, "currency": "USD", "adapterName": "neo", "disableSwapCharges": false, "marginCallLevel": 20, "stopOutLevel": 40}),
            "stopOutLevel",
        ),
        (
            json!({"name": "x", "leverage": 10, "currency": "USD", "adapterName": "neo", "disableSwapCharges": false, "marginCallLevel": 100.005}),
            "marginCallLevel",
        ),
        (
            json!({"name": "x", "leverage": 10, "currency": "USD", "adapterName": "neo", "disableSwapCharges": false, "markups": [1]}),
            "markups",
        ),
        (
            json!({"name": "x", "leverage": 10, "currency": "USD", "adapterName": "neo", "disableSwapCharges": false, "markups": [{"symbol": "EURUSD", "value": 0.5}]}),
            "markups[0].points",
        ),
    ] {
        let r = t.server.post("/api/groups").authorization_bearer(&admin).json(&body).await;
        assert_eq!(r.status_code(), 422, "{body}");
        assert_eq!(field_of(&r.json()), field);
    }
    let dup = json!({"name": "Standard USD", "leverage": 10, "currency": "USD", "adapterName": "neo", "disableSwapCharges": false});
    t.server
        .post("/api/groups")
        .authorization_bearer(&admin)
        .json(&dup)
        .await
        .assert_status(http::StatusCode::CONFLICT);

    // customers cannot manage groups; a group in use cannot be deleted
    let (cust, cust_id) = customer(&t).await;
    t.server.get("/api/groups").authorization_bearer(&cust).await.assert_status_forbidden();
    let w = wallet(&t, &admin, &cust_id, id).await;
    t.server
        .delete(&format!("/api/groups/{id}"))
        .authorization_bearer(&admin)
        .await
        .assert_status(http::StatusCode::CONFLICT);
    let other = group(&t, &admin, "Spare", "EUR").await;
    let r = t.server.delete(&format!("/api/groups/{other}")).authorization_bearer(&admin).await;
    r.assert_status_ok();
    assert_eq!(r.json::<Value>(), json!({"success": true}));
    t.server
        .get(&format!("/api/groups/{other}"))
        .authorization_bearer(&admin)
        .await
        .assert_status_not_found();
    assert!(w > 0);

    // every write is in the audit log
    let log: Value =
        t.server.get("/api/activities?limit=50&offset=0").authorization_bearer(&admin).await.json();
    let kinds: Vec<&str> =
        log["activities"].as_array().unwrap().iter().filter_map(|a| a["type"].as_str()).collect();
    for k in ["group.create", "group.update", "group.delete", "wallet.create"] {
        assert!(kinds.contains(&k), "{k} missing from {kinds:?}");
    }
}

#[tokio::test]
async fn staff_create_get_update_list_enable_disable_wallets() {
    let t = TestApp::spawn().await;
    let admin = t.admin_token().await;
    let usd = group(&t, &admin, "USD", "USD").await;
    let eur = group(&t, &admin, "EUR", "EUR").await;
    let (_, cust_id) = customer(&t).await;

    let r = t
        .server
        .post("/api/wallets")
        .authorization_bearer(&admin)
        .json(&json!({"customerId": cust_id, "groupId": usd, "platform": "PRO", "leverage": 50, "isDemo": true}))
        .await;
    r.assert_status_ok();
    let w: Value = r.json();
    let id = w["id"].as_i64().unwrap();
    assert_eq!(w["customer"]["id"], cust_id.as_str());
    assert_eq!(w["platform"], "PRO");
    assert_eq!(w["status"], "ACTIVE");
    assert_eq!(w["currency"], "USD");
    assert_eq!(w["group"]["id"], usd);
    assert_eq!(w["leverage"], 50);
    assert_eq!(w["isDemo"], true);
    assert!(w["createdAt"].is_string() && w["updatedAt"].is_string());
    let eur_wallet = wallet(&t, &admin, &cust_id, eur).await;

    let got: Value =
        t.server.get(&format!("/api/wallets/{id}")).authorization_bearer(&admin).await.json();
    assert_eq!(got["wallet"]["id"], id);
    assert_eq!(got["wallet"]["balance"], "0");
    assert_eq!(got["wallet"]["equity"], "0");

    // update leverage; a group in another currency is refused on groupId
    let r = t
        .server
        .put(&format!("/api/wallets/{id}"))
        .authorization_bearer(&admin)
        .json(&json!({"leverage": 20}))
        .await;
    r.assert_status_ok();
    assert_eq!(r.json::<Value>()["wallet"]["leverage"], 20);
    let r = t
        .server
        .put(&format!("/api/wallets/{id}"))
        .authorization_bearer(&admin)
        .json(&json!({"groupId": eur}))
        .await;
    assert_eq!(r.status_code(), 422);
    assert_eq!(field_of(&r.json()), "groupId");

    // validation on create
    for (body, field) in [
        (json!({"customerId": cust_id, "platform": "MT4"}), "platform"),
        (json!({"customerId": cust_id, "leverage": 0.5}), "leverage"),
        (json!({"customerId": "nobody"}), "customerId"),
        (json!({"customerId": cust_id, "groupId": 999}), "groupId"),
    ] {
        let r = t.server.post("/api/wallets").authorization_bearer(&admin).json(&body).await;
        assert_eq!(r.status_code(), 422, "{body}");
        assert_eq!(field_of(&r.json()), field);
    }

    // filters
    let ids = |v: &Value| -> Vec<i64> {
        v["wallets"].as_array().unwrap().iter().map(|w| w["id"].as_i64().unwrap()).collect()
    };
    let get = |q: &str| t.server.get(&format!("/api/wallets{q}")).authorization_bearer(&admin);
    let all: Value = get("").await.json();
    assert_eq!(ids(&all), vec![eur_wallet, id]);
    assert_eq!(all["pages"], 1);
    assert_eq!(ids(&get("?currencies=EUR").await.json()), vec![eur_wallet]);
    assert_eq!(ids(&get("?currencies=EUR&currencies=USD").await.json()), vec![eur_wallet, id]);
    assert_eq!(ids(&get("?isDemo=true").await.json()), vec![id]);
    assert_eq!(ids(&get("?leverageFrom=100&leverageTo=500").await.json()), vec![eur_wallet]);
    assert_eq!(ids(&get(&format!("?groups={usd}")).await.json()), vec![id]);
    assert_eq!(ids(&get("?groups=EUR").await.json()), vec![eur_wallet]);
    assert_eq!(ids(&get("?search=customer-").await.json()), vec![eur_wallet, id]);
    assert!(ids(&get(&format!("?search={id}")).await.json()).contains(&id));
    assert!(ids(&get("?search=nobody-here").await.json()).is_empty());
    assert!(ids(&get("?onlyShowWalletsWithOpenPositions=true").await.json()).is_empty());
    let paged: Value = get("?limit=1&page=2").await.json();
    assert_eq!((ids(&paged), paged["pages"].clone()), (vec![id], json!(2)));
    let r = get("?isDemo=maybe").await;
    assert_eq!(field_of(&r.json()), "isDemo");
    let r = get("?currencies=eur").await;
    assert_eq!(field_of(&r.json()), "currencies");

    // disable / enable
    for (path, status) in [("disable", "DISABLED"), ("enable", "ACTIVE")] {
        let r =
            t.server.post(&format!("/api/wallets/{id}/{path}")).authorization_bearer(&admin).await;
        r.assert_status_ok();
        assert_eq!(r.json::<Value>(), json!({"success": true}));
        let w: Value =
            t.server.get(&format!("/api/wallets/{id}")).authorization_bearer(&admin).await.json();
        assert_eq!(w["wallet"]["status"], status);
    }
    t.server.get("/api/wallets/999").authorization_bearer(&admin).await.assert_status_not_found();
    t.server.get("/api/wallets/abc").authorization_bearer(&admin).await.assert_status_not_found();
}

#[tokio::test]
async fn manual_transactions_move_balance_and_credit_through_the_ledger() {
    let t = TestApp::spawn().await;
    let admin = t.admin_token().await;
    let g = group(&t, &admin, "USD", "USD").await;
    let (_, cust_id) = customer(&t).await;
    let w = wallet(&t, &admin, &cust_id, g).await;

    let (s, body) = manual(&t, &admin, w, json!({"type": "DEPOSIT", "currency": "USD", "method": "bank_wire", "comment": "first", "amount": 100.1})).await;
    assert_eq!(s, 200, "{body}");
    assert_eq!(body["pages"], 1);
    let tx = &body["transactions"][0];
    assert_eq!(tx["type"], "DEPOSIT");
    assert_eq!(tx["amount"], "100.1");
    assert_eq!(tx["comment"], "first");
    assert_eq!(tx["addToCredit"], false);
    assert_eq!(tx["status"], "posted");

    assert_eq!(
        manual(&t, &admin, w, json!({"type": "BONUS", "addToCredit": true, "amount": "25"}))
            .await
            .0,
        200
    );
    assert_eq!(manual(&t, &admin, w, json!({"type": "WITHDRAWAL", "amount": 0.1})).await.0, 200);
    assert_eq!(manual(&t, &admin, w, json!({"type": "CORRECTION", "amount": -10})).await.0, 200);
    assert_eq!(
        balance(&t, &admin, w).await,
        json!({"balance": "90", "credit": "25", "equity": "115", "currency": "USD",
               "margin": "0", "freeMargin": "115", "marginLevel": null})
    );

    // listing only (empty body), newest first, paged
    let (s, list) = manual(&t, &admin, w, json!({})).await;
    assert_eq!(s, 200);
    let amounts: Vec<&str> = list["transactions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["amount"].as_str().unwrap())
        .collect();
    assert_eq!(amounts, vec!["-10", "-0.1", "25", "100.1"]);

    // validation names the field and changes nothing
    for (body, field) in [
        (json!({"type": "DEPOSIT", "amount": -5}), "amount"),
        (json!({"type": "DEPOSIT", "amount": 0.000000001}), "amount"),
        (json!({"type": "GIFT", "amount": 5}), "type"),
        (json!({"type": "DEPOSIT", "currency": "EUR", "amount": 5}), "currency"),
        (json!({"type": "WITHDRAWAL", "amount": 1000}), "amount"),
        (json!({"amount": 5}), "type"),
    ] {
        let (s, b) = manual(&t, &admin, w, body.clone()).await;
        assert_eq!(s, 422, "{body} → {b}");
        assert_eq!(field_of(&b), field, "{body}");
    }
    assert_eq!(balance(&t, &admin, w).await["balance"], "90");

    // only ManageWalletMoney may record; a retried request with its key applies once
    let (risk, _) = t.mint_token(Role::Risk).await;
    assert_eq!(manual(&t, &risk, w, json!({"type": "DEPOSIT", "amount": 1})).await.0, 403);
    for _ in 0..2 {
        let r = t
            .server
            .post(&format!("/api/wallets/{w}/transactions"))
            .authorization_bearer(&admin)
            .add_header("Idempotency-Key", "dep-42")
            .json(&json!({"type": "DEPOSIT", "amount": 10}))
            .await;
        r.assert_status_ok();
    }
    assert_eq!(balance(&t, &admin, w).await["balance"], "100");
    let r = t
        .server
        .post(&format!("/api/wallets/{w}/transactions"))
        .authorization_bearer(&admin)
        .add_header("Idempotency-Key", "dep-42")
        .json(&json!({"type": "DEPOSIT", "amount": 11}))
        .await;
    r.assert_status(http::StatusCode::CONFLICT);
    assert_error(&r.json(), "conflict");
    assert_verified(t.app.db()).await;
}

#[tokio::test]
async fn transfers_between_own_wallets_are_exact_idempotent_and_same_currency() {
    let t = TestApp::spawn().await;
    let admin = t.admin_token().await;
    let owner = t.customer().admin(&admin).with_wallet("USD", 100).with_wallet("USD", 0);
    let owner = owner.with_wallet("EUR", 0).create().await;
    let [a, b, e] = owner.wallet_ids();
    let cust = owner.token;
    let stranger = t.customer().admin(&admin).with_wallet("USD", 0).create().await.wallets[0];

    // the customer moves money between their own wallets; replays apply once
    let body = json!({"sourceWalletId": a, "targetWalletId": b, "amount": 30.25});
    for _ in 0..3 {
        let (s, r) = transfer(&t, &cust, Some("move-1"), body.clone()).await;
        assert_eq!((s, r), (200, json!({"success": true})));
    }
    assert_eq!(balance(&t, &admin, a).await["balance"], "69.75");
    assert_eq!(balance(&t, &admin, b).await["balance"], "30.25");
    let (s, r) = transfer(
        &t,
        &cust,
        Some("move-1"),
        json!({"sourceWalletId": a, "targetWalletId": b, "amount": 1}),
    )
    .await;
    assert_eq!(s, 409, "{r}");
    // staff transfer (audited) without a key
    assert_eq!(
        transfer(
            &t,
            &admin,
            None,
            json!({"sourceWalletId": b, "targetWalletId": a, "amount": "0.25"})
        )
        .await
        .0,
        200
    );
    assert_eq!(balance(&t, &admin, a).await["balance"], "70");

    let txs: Value =
        t.server.get(&format!("/api/me/wallets/{b}")).authorization_bearer(&cust).await.json();
    let kinds: Vec<(&str, &str)> = txs["transactions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| (t["type"].as_str().unwrap(), t["amount"].as_str().unwrap()))
        .collect();
    assert_eq!(kinds, vec![("WALLET_TRANSFER", "-0.25"), ("WALLET_TRANSFER", "30.25")]);

    for (body, field) in [
        (json!({"sourceWalletId": a, "targetWalletId": e, "amount": 1}), "targetWalletId"),
        (json!({"sourceWalletId": a, "targetWalletId": stranger, "amount": 1}), "targetWalletId"),
        (json!({"sourceWalletId": a, "targetWalletId": a, "amount": 1}), "targetWalletId"),
        (json!({"sourceWalletId": a, "targetWalletId": b, "amount": 500}), "amount"),
        (json!({"sourceWalletId": a, "targetWalletId": b, "amount": 0}), "amount"),
        (json!({"sourceWalletId": 999, "targetWalletId": b, "amount": 1}), "sourceWalletId"),
    ] {
        let (s, r) = transfer(&t, &cust, None, body.clone()).await;
        assert_eq!(s, 422, "{body} → {r}");
        assert_eq!(field_of(&r), field, "{body}");
    }
    let (_, r) =
        transfer(&t, &cust, None, json!({"sourceWalletId": a, "targetWalletId": e, "amount": 1}))
            .await;
    assert!(
        r["error"]["details"]["fields"][0]["message"].as_str().unwrap().contains("conversion"),
        "{r}"
    );
    // a disabled wallet moves nothing
    t.server
        .post(&format!("/api/wallets/{b}/disable"))
        .authorization_bearer(&admin)
        .await
        .assert_status_ok();
    let (s, r) =
        transfer(&t, &cust, None, json!({"sourceWalletId": a, "targetWalletId": b, "amount": 1}))
            .await;
    assert_eq!((s, field_of(&r).as_str()), (422, "targetWalletId"));
    assert_eq!(balance(&t, &admin, a).await["balance"], "70");
    assert_verified(t.app.db()).await;
}

#[tokio::test]
async fn concurrent_transfers_from_one_wallet_never_overdraw() {
    let t = TestApp::spawn().await;
    let admin = t.admin_token().await;
    let c = t.customer().admin(&admin).with_wallet("USD", 100).with_wallet("USD", 0).create().await;
    let (cust, a, b) = (c.token, c.wallets[0], c.wallets[1]);

    let body = json!({"sourceWalletId": a, "targetWalletId": b, "amount": 10});
    let requests = (0..24)
        .map(|i| json_request("/api/wallets/transfer", &cust, Some(&format!("c-{i}")), &body))
        .collect();
    let ok = count_ok_else_422(&send_concurrently(&t, requests).await);
    assert_eq!(ok, 10);
    assert_eq!(balance(&t, &admin, a).await["balance"], "0");
    assert_eq!(balance(&t, &admin, b).await["balance"], "100");
    assert_verified(t.app.db()).await;
}

#[tokio::test]
async fn cross_currency_transfers_convert_along_the_rate_exactly_once() {
    let t = TestApp::spawn().await;
    let admin = t.admin_token().await;
    let usd = group(&t, &admin, "USD", "USD").await;
    let eur = group(&t, &admin, "EUR", "EUR").await;
    let (cust, cust_id) = customer(&t).await;
    let a = wallet(&t, &admin, &cust_id, usd).await;
    let e = wallet(&t, &admin, &cust_id, eur).await;
    manual(&t, &admin, a, json!({"type": "DEPOSIT", "amount": 100})).await;
    t.server
        .post("/api/exchange-rates")
        .authorization_bearer(&admin)
        .json(&json!({"fromCurrency": "USD", "toCurrency": "EUR", "source": "manual", "rate": 0.9}))
        .await
        .assert_status_ok();

    let body = json!({"sourceWalletId": a, "targetWalletId": e, "amount": "10.5"});
    for _ in 0..2 {
        let (s, r) = transfer(&t, &cust, Some("fx-1"), body.clone()).await;
        assert_eq!((s, r), (200, json!({"success": true})));
    }
    assert_eq!(balance(&t, &admin, a).await["balance"], "89.5");
    assert_eq!(balance(&t, &admin, e).await["balance"], "9.45");
    // the reverse direction uses the inverse rate: 9.45 EUR / 0.9 = 10.5 USD
    let back = json!({"sourceWalletId": e, "targetWalletId": a, "amount": "9.45"});
    assert_eq!(transfer(&t, &cust, Some("fx-2"), back).await.0, 200);
    assert_eq!(balance(&t, &admin, a).await["balance"], "100");
    assert_eq!(balance(&t, &admin, e).await["balance"], "0");
    assert_verified(t.app.db()).await;
}
