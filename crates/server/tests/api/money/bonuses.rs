//! Bonuses and Mass Bonuses through the real router: rule CRUD with validation naming the
//! field; deposit bonuses applied exactly once per (rule, deposit) under replays and
//! concurrency, with the minimum deposit, maximum amount, date window and method filters and
//! exact proportional rounding; SIGNUP once per customer; mass bonuses reporting each
//! failed username and paying nobody twice on retry; the ledger verified after each test.

use brokercrm_app::money::events::DepositPosted;
use brokercrm_core::identity::auth::Role;
use serde_json::{Value, json};

use crate::helpers::assert::field_of;
use crate::helpers::http::{json_request, post, send_concurrently};
use crate::helpers::money::{assert_verified, balance, group, m, manual, money_of, wallet};
use crate::helpers::platform::audited;
use crate::helpers::users::customer;
use crate::helpers::{TestApp, assert_error};

fn rule(id: &str, kind: &str, amount: Value) -> Value {
    json!({"id": id, "type": kind, "amount": amount, "start": "2020-01-01T00:00:00Z",
           "end": "2099-01-01T00:00:00Z", "addToCredit": false, "methods": []})
}

async fn create(t: &TestApp, admin: &str, body: Value) -> (u16, Value) {
    post(t, admin, "/api/bonuses", body).await
}

/// A deposit through the admin manual transaction, with an optional Idempotency-Key.
async fn deposit(t: &TestApp, admin: &str, w: i64, amount: &str, method: &str, key: Option<&str>) {
    let mut req = t
        .server
        .post(&format!("/api/wallets/{w}/transactions"))
        .authorization_bearer(admin)
        .json(&json!({"type": "DEPOSIT", "amount": amount, "method": method}));
    if let Some(k) = key {
        req = req.add_header("Idempotency-Key", k);
    }
    req.await.assert_status_ok();
}

async fn bonus_count(t: &TestApp, admin: &str, w: i64, kind: &str) -> usize {
    let (s, b) = manual(t, admin, w, json!({})).await;
    assert_eq!(s, 200, "{b}");
    b["transactions"].as_array().unwrap().iter().filter(|x| x["type"] == kind).count()
}

#[tokio::test]
async fn bonus_rules_crud_validation_and_permissions() {
    let t = TestApp::spawn().await;
    let admin = t.admin_token().await;
    let mut body = rule("welcome", "DEPOSIT_PROPORTIONAL", json!(12.5));
    body["minimumDepositUSD"] = json!(100);
    body["maximumAmountUSD"] = json!("250.5");
    body["methods"] = json!(["card", "card", "wire"]);
    let (s, b) = create(&t, &admin, body.clone()).await;
    assert_eq!(s, 200, "{b}");
    let bonus = &b["bonus"];
    assert_eq!(bonus["id"], "welcome");
    assert_eq!(bonus["type"], "DEPOSIT_PROPORTIONAL");
    assert_eq!(bonus["amount"], 12.5);
    assert_eq!(bonus["minimumDepositUSD"], 100.0);
    assert_eq!(bonus["maximumAmountUSD"], 250.5);
    assert_eq!(bonus["methods"], json!(["card", "wire"]));
    assert_eq!(bonus["start"], "2020-01-01T00:00:00Z");
    // The id is taken.
    let (s, b) = create(&t, &admin, body).await;
    assert_eq!(s, 409, "{b}");
    // Each invalid field is named, and nothing is stored.
    for (field, patch) in [
        ("type", json!({"type": "LOTTERY"})),
        ("amount", json!({"amount": 0})),
        ("amount", json!({"type": "DEPOSIT_PROPORTIONAL", "amount": 12.345})),
        ("end", json!({"end": "2019-01-01T00:00:00Z"})),
        ("start", json!({"start": "yesterday"})),
        ("minimumDepositUSD", json!({"minimumDepositUSD": -1})),
        ("maximumAmountUSD", json!({"maximumAmountUSD": 0})),
        ("methods", json!({"methods": null})),
        ("addToCredit", json!({"addToCredit": null})),
        ("id", json!({"id": "no spaces"})),
    ] {
        let mut b = rule("bad", "DEPOSIT", json!(10));
        for (k, v) in patch.as_object().unwrap() {
            b[k] = v.clone();
        }
        let (s, body) = create(&t, &admin, b).await;
        assert_eq!(s, 422, "{field}: {body}");
        assert_error(&body, "validation_failed");
        assert_eq!(field_of(&body), field, "{body}");
    }
    let r = t.server.get("/api/bonuses").authorization_bearer(&admin).await;
    r.assert_status_ok();
    let list: Value = r.json();
    assert_eq!(list["bonuses"].as_array().unwrap().len(), 1, "{list}");
    // Update replaces every field.
    let mut upd = rule("ignored", "DEPOSIT", json!("20"));
    upd["addToCredit"] = json!(true);
    let r = t.server.put("/api/bonuses/welcome").authorization_bearer(&admin).json(&upd).await;
    r.assert_status_ok();
    let b: Value = r.json();
    assert_eq!(b["bonus"]["type"], "DEPOSIT");
    assert_eq!(b["bonus"]["amount"], 20.0);
    assert_eq!(b["bonus"]["addToCredit"], true);
    assert_eq!(b["bonus"]["id"], "welcome");
    let r = t.server.put("/api/bonuses/nope").authorization_bearer(&admin).json(&upd).await;
    assert_eq!(r.status_code().as_u16(), 404);
    // Permissions: a customer neither reads nor writes rules.
    let (cust, _) = customer(&t).await;
    let r = t.server.get("/api/bonuses").authorization_bearer(&cust).await;
    assert_eq!(r.status_code().as_u16(), 403);
    let r = t.server.delete("/api/bonuses/welcome").authorization_bearer(&cust).await;
    assert_eq!(r.status_code().as_u16(), 403);
    let support = t.token_for(Role::Support).await;
    t.server.get("/api/bonuses").authorization_bearer(&support).await.assert_status_ok();
    let (s, _) = create(&t, &support, rule("s", "SIGNUP", json!(5))).await;
    assert_eq!(s, 403);
    // Delete returns the rule; it is gone after.
    let r = t.server.delete("/api/bonuses/welcome").authorization_bearer(&admin).await;
    r.assert_status_ok();
    assert_eq!(r.json::<Value>()["bonus"]["id"], "welcome");
    let r = t.server.delete("/api/bonuses/welcome").authorization_bearer(&admin).await;
    assert_eq!(r.status_code().as_u16(), 404);
    // Every write is audited.
    for kind in ["bonus.create", "bonus.update", "bonus.delete"] {
        assert_eq!(audited(&t, kind).await, 1, "{kind}");
    }
}

#[tokio::test]
async fn deposit_bonuses_filter_round_exactly_and_apply_once() {
    let t = TestApp::spawn().await;
    let admin = t.admin_token().await;
    // A: 10 USD on card deposits of at least 100 USD.
    let mut a = rule("a-fixed", "DEPOSIT", json!(10));
    a["minimumDepositUSD"] = json!(100);
    a["methods"] = json!(["card"]);
    // B: 33.33 % of any deposit, at most 50 USD.
    let mut b = rule("b-prop", "DEPOSIT_PROPORTIONAL", json!(33.33));
    b["maximumAmountUSD"] = json!(50);
    // C: over before now; D: starts in the future. Neither ever applies.
    let mut c = rule("c-past", "DEPOSIT", json!(1000));
    c["end"] = json!("2021-01-01T00:00:00Z");
    let mut d = rule("d-future", "DEPOSIT", json!(1000));
    d["start"] = json!("2098-01-01T00:00:00Z");
    // E: 1 USD into credit on wire deposits.
    let mut e = rule("e-credit", "DEPOSIT", json!(1));
    e["addToCredit"] = json!(true);
    e["methods"] = json!(["wire"]);
    for r in [a, b, c, d, e] {
        let (s, body) = create(&t, &admin, r).await;
        assert_eq!(s, 200, "{body}");
    }
    let (_, cust) = customer(&t).await;
    let g = group(&t, &admin, "USD std", "USD").await;
    let w = wallet(&t, &admin, &cust, g).await;

    // 99.99 by card: under A's minimum; B gives 33.33 % = 33.326667 exactly.
    deposit(&t, &admin, w, "99.99", "card", Some("d1")).await;
    let bal = balance(&t, &admin, w).await;
    assert_eq!(money_of(&bal["balance"]), m("133.316667"), "{bal}");
    // 200 by wire: A refuses the method; B is capped at 50; E goes to credit.
    deposit(&t, &admin, w, "200", "wire", Some("d2")).await;
    let bal = balance(&t, &admin, w).await;
    assert_eq!(money_of(&bal["balance"]), m("383.316667"), "{bal}");
    assert_eq!(money_of(&bal["credit"]), m("1"), "{bal}");
    // 150 by CARD (methods match case-insensitively): A 10 and B 49.995.
    deposit(&t, &admin, w, "150", "CARD", Some("d3")).await;
    let bal = balance(&t, &admin, w).await;
    assert_eq!(money_of(&bal["balance"]), m("593.311667"), "{bal}");
    // 10 minor units: 33.33 % is 3.333, rounded down to 3 minor units.
    deposit(&t, &admin, w, "0.0000001", "sepa", Some("d4")).await;
    let bal = balance(&t, &admin, w).await;
    assert_eq!(money_of(&bal["balance"]), m("593.31166713"), "{bal}");
    assert_eq!(bonus_count(&t, &admin, w, "DEPOSIT_BONUS").await, 6);

    // Replaying every deposit changes nothing: no second deposit, no second bonus.
    for (k, amount, method) in
        [("d1", "99.99", "card"), ("d2", "200", "wire"), ("d3", "150", "CARD")]
    {
        deposit(&t, &admin, w, amount, method, Some(k)).await;
    }
    let again = balance(&t, &admin, w).await;
    assert_eq!(again, bal);
    assert_eq!(bonus_count(&t, &admin, w, "DEPOSIT_BONUS").await, 6);
    // A demo wallet takes no real deposit (demo and real money never meet), so no bonus: its
    // play money comes from the demo top-up, which pays none.
    let r = t
        .server
        .post("/api/wallets")
        .authorization_bearer(&admin)
        .json(&json!({"customerId": cust, "groupId": g, "isDemo": true}))
        .await;
    r.assert_status_ok();
    let demo = r.json::<Value>()["id"].as_i64().unwrap();
    let body = json!({"type": "DEPOSIT", "amount": "500", "method": "card"});
    let (s, b) = manual(&t, &admin, demo, body).await;
    assert_eq!((s, field_of(&b)), (422, "walletId".to_owned()), "{b}");
    let body = json!({"walletId": demo, "amount": "500"});
    let (s, b) = post(&t, &admin, "/api/payment-providers/demo/top-up", body).await;
    assert_eq!(s, 200, "{b}");
    let held = balance(&t, &admin, demo).await;
    assert_eq!((money_of(&held["balance"]), money_of(&held["credit"])), (m("500"), m("0")));
    assert_verified(t.app.db()).await;
}

#[tokio::test]
async fn concurrent_and_replayed_deposits_get_one_bonus_each() {
    let t = TestApp::spawn().await;
    let admin = t.admin_token().await;
    let (s, b) = create(&t, &admin, rule("ten", "DEPOSIT", json!(10))).await;
    assert_eq!(s, 200, "{b}");
    let (_, cust) = customer(&t).await;
    let g = group(&t, &admin, "USD std", "USD").await;
    let w = wallet(&t, &admin, &cust, g).await;
    // Eight concurrent tries of one deposit (same key), and six distinct deposits.
    let keys = (0..8).map(|_| "same".to_owned()).chain((0..6).map(|i| format!("k{i}")));
    let body = json!({"type": "DEPOSIT", "amount": "100", "method": "card"});
    let path = format!("/api/wallets/{w}/transactions");
    let requests = keys.map(|key| json_request(&path, &admin, Some(&key), &body)).collect();
    for (status, b) in send_concurrently(&t, requests).await {
        assert_eq!(status, 200, "{b}");
    }
    let bal = balance(&t, &admin, w).await;
    // 7 deposits of 100 and 7 bonuses of 10.
    assert_eq!(money_of(&bal["balance"]), m("770"), "{bal}");
    assert_eq!(bonus_count(&t, &admin, w, "DEPOSIT_BONUS").await, 7);
    assert_eq!(bonus_count(&t, &admin, w, "DEPOSIT").await, 7);

    // The hook itself, run again for an already-rewarded deposit (a provider callback
    // delivered twice, say) from four concurrent transactions: the grant's transfer id
    // (rule, deposit) meets the ledger's unique index and no second bonus is paid.
    let row =
        brokercrm_store::repo::money::wallets::find(t.app.db().conn(), w).await.unwrap().unwrap();
    let transfers = brokercrm_store::repo::money::ledger::transfers::page_for_accounts(
        t.app.db().conn(),
        &[brokercrm_store::repo::money::ledger::accounts::for_wallet(t.app.db().conn(), w)
            .await
            .unwrap()[0]
            .id],
        None,
        100,
        0,
    )
    .await
    .unwrap()
    .0;
    let dep = transfers.iter().find(|x| x.code == "DEPOSIT").unwrap();
    let dep_id = brokercrm_core::money::ledger::TransferId::parse("id", &dep.transfer_id).unwrap();
    let usd = brokercrm_core::Currency::USD;
    let hooks: Vec<_> = (0..4)
        .map(|_| {
            let (app, row, dep_id) = (t.app.clone(), row.clone(), dep_id.clone());
            tokio::spawn(async move {
                let tx = app.db().begin_write().await.unwrap();
                let posted = DepositPosted::new(&row, &dep_id, m("100"), usd, Some("card"));
                app.events().publish(&tx, &posted).await.unwrap();
                brokercrm_store::db::commit(tx).await.unwrap();
            })
        })
        .collect();
    for h in hooks {
        h.await.unwrap();
    }
    assert_eq!(bonus_count(&t, &admin, w, "DEPOSIT_BONUS").await, 7);
    assert_eq!(money_of(&balance(&t, &admin, w).await["balance"]), m("770"));
    // A deposit id never seen before does get its bonus through the same hook.
    let fresh = brokercrm_core::money::ledger::TransferId::parse("id", "provider:cb-1").unwrap();
    let tx = t.app.db().begin_write().await.unwrap();
    let posted = DepositPosted::new(&row, &fresh, m("100"), usd, None);
    t.app.events().publish(&tx, &posted).await.unwrap();
    brokercrm_store::db::commit(tx).await.unwrap();
    assert_eq!(bonus_count(&t, &admin, w, "DEPOSIT_BONUS").await, 8);
    assert_verified(t.app.db()).await;
}

#[tokio::test]
async fn signup_bonus_once_per_customer_on_the_first_real_wallet() {
    let t = TestApp::spawn().await;
    let admin = t.admin_token().await;
    let mut s = rule("signup", "SIGNUP", json!(25));
    s["addToCredit"] = json!(true);
    let (st, b) = create(&t, &admin, s).await;
    assert_eq!(st, 200, "{b}");
    let g = group(&t, &admin, "USD std", "USD").await;
    let (_, c1) = customer(&t).await;
    // A demo wallet first: no bonus, and it does not count as the first real wallet.
    let r = t
        .server
        .post("/api/wallets")
        .authorization_bearer(&admin)
        .json(&json!({"customerId": c1, "groupId": g, "isDemo": true}))
        .await;
    r.assert_status_ok();
    let demo = r.json::<Value>()["id"].as_i64().unwrap();
    assert_eq!(money_of(&balance(&t, &admin, demo).await["credit"]), m("0"));
    let w1 = wallet(&t, &admin, &c1, g).await;
    let w2 = wallet(&t, &admin, &c1, g).await;
    assert_eq!(money_of(&balance(&t, &admin, w1).await["credit"]), m("25"));
    assert_eq!(money_of(&balance(&t, &admin, w2).await["credit"]), m("0"));
    assert_eq!(bonus_count(&t, &admin, w1, "BONUS").await, 1);
    // A customer opening their own first wallet gets it too.
    let (tok, _) = customer(&t).await;
    let r = t.server.post("/api/me/wallets").authorization_bearer(&tok).json(&json!({})).await;
    r.assert_status_ok();
    let own = r.json::<Value>()["id"].as_i64().unwrap();
    assert_eq!(money_of(&balance(&t, &admin, own).await["credit"]), m("25"));
    assert_verified(t.app.db()).await;
}

#[tokio::test]
async fn mass_bonus_reports_each_failure_and_pays_once_on_retry() {
    let t = TestApp::spawn().await;
    let admin = t.admin_token().await;
    let (_, cust) = customer(&t).await;
    let usd = group(&t, &admin, "USD std", "USD").await;
    let eur = group(&t, &admin, "EUR std", "EUR").await;
    let w1 = wallet(&t, &admin, &cust, usd).await;
    let w2 = wallet(&t, &admin, &cust, usd).await;
    let w_eur = wallet(&t, &admin, &cust, eur).await;
    let w_off = wallet(&t, &admin, &cust, usd).await;
    t.server
        .post(&format!("/api/wallets/{w_off}/disable"))
        .authorization_bearer(&admin)
        .await
        .assert_status_ok();
    let accounts = format!("{w1}, {w2},{w_eur},{w_off},abc,999999,{w1}, ");
    let body = json!({"name": "Black Friday", "currency": "USD", "addToCredit": false,
                      "amount": 50, "accounts": accounts});
    let send = |key: &'static str, body: Value| {
        t.server
            .post("/api/mass-bonuses")
            .authorization_bearer(&admin)
            .add_header("Idempotency-Key", key)
            .json(&body)
    };
    let r = send("bf-1", body.clone()).await;
    r.assert_status_ok();
    let res = r.json::<Value>()["result"].clone();
    assert_eq!(res["total"], 6, "{res}");
    assert_eq!(res["succeeded"], 2, "{res}");
    assert_eq!(res["failed"], 4, "{res}");
    let item = |acc: &str| {
        res["items"].as_array().unwrap().iter().find(|i| i["account"] == acc).unwrap().clone()
    };
    assert_eq!(item(&w1.to_string())["status"], "applied");
    assert_eq!(item(&w2.to_string())["status"], "applied");
    let why = |acc: &str| item(acc)["reason"].as_str().unwrap().to_owned();
    assert!(why(&w_eur.to_string()).contains("EUR"), "{res}");
    assert!(why(&w_off.to_string()).contains("disabled"), "{res}");
    assert_eq!(why("abc"), "unknown wallet");
    assert_eq!(why("999999"), "unknown wallet");
    // A retry with the same key pays nobody twice.
    let r = send("bf-1", body.clone()).await;
    r.assert_status_ok();
    let res2 = r.json::<Value>()["result"].clone();
    assert_eq!(res2["items"][0]["status"], "replayed", "{res2}");
    assert_eq!(money_of(&balance(&t, &admin, w1).await["balance"]), m("50"));
    assert_eq!(money_of(&balance(&t, &admin, w2).await["balance"]), m("50"));
    assert_eq!(money_of(&balance(&t, &admin, w_eur).await["balance"]), m("0"));
    assert_eq!(money_of(&balance(&t, &admin, w_off).await["balance"]), m("0"));
    // Bad requests pay nothing and name the field.
    for (field, patch) in [
        ("amount", json!({"amount": -5})),
        ("accounts", json!({"accounts": " , "})),
        ("currency", json!({"currency": "usd"})),
    ] {
        let mut b = body.clone();
        for (k, v) in patch.as_object().unwrap() {
            b[k] = v.clone();
        }
        let r = send("bf-2", b).await;
        assert_eq!(r.status_code().as_u16(), 422, "{field}");
        assert_eq!(field_of(&r.json()), field);
    }
    assert_eq!(money_of(&balance(&t, &admin, w1).await["balance"]), m("50"));
    let (cust_tok, _) = customer(&t).await;
    let r = t.server.post("/api/mass-bonuses").authorization_bearer(&cust_tok).json(&body).await;
    assert_eq!(r.status_code().as_u16(), 403);
    assert_verified(t.app.db()).await;
}

#[tokio::test]
async fn usd_terms_are_converted_for_wallets_in_other_currencies() {
    let t = TestApp::spawn().await;
    let admin = t.admin_token().await;
    t.server
        .post("/api/exchange-rates")
        .authorization_bearer(&admin)
        .json(&json!({"fromCurrency": "EUR", "toCurrency": "USD", "source": "test", "rate": 1.25}))
        .await
        .assert_status_ok();
    // A: 10 USD on deposits worth at least 100 USD. B: 10 % of a deposit, at most 20 USD.
    let mut a = rule("a", "DEPOSIT", json!(10));
    a["minimumDepositUSD"] = json!(100);
    let mut b = rule("b", "DEPOSIT_PROPORTIONAL", json!(10));
    b["maximumAmountUSD"] = json!(20);
    for r in [a, b] {
        let (s, body) = create(&t, &admin, r).await;
        assert_eq!(s, 200, "{body}");
    }
    let (_, cust) = customer(&t).await;
    let eur = group(&t, &admin, "EUR std", "EUR").await;
    let w = wallet(&t, &admin, &cust, eur).await;
    // 79.99 EUR = 99.9875 USD: under A's minimum; B gives 7.999 EUR.
    deposit(&t, &admin, w, "79.99", "card", None).await;
    assert_eq!(money_of(&balance(&t, &admin, w).await["balance"]), m("87.989"));
    // 80 EUR = 100 USD: A gives 10 USD = 8 EUR; B 8 EUR.
    deposit(&t, &admin, w, "80", "card", None).await;
    assert_eq!(money_of(&balance(&t, &admin, w).await["balance"]), m("183.989"));
    // 400 EUR: A 8 EUR; B 40 EUR capped at 20 USD = 16 EUR.
    deposit(&t, &admin, w, "400", "card", None).await;
    assert_eq!(money_of(&balance(&t, &admin, w).await["balance"]), m("607.989"));
    // GBP has no conversion path: both rules are skipped, the deposit still posts.
    let gbp = group(&t, &admin, "GBP std", "GBP").await;
    let g = wallet(&t, &admin, &cust, gbp).await;
    deposit(&t, &admin, g, "100", "card", None).await;
    assert_eq!(money_of(&balance(&t, &admin, g).await["balance"]), m("100"));
    assert_verified(t.app.db()).await;
}
