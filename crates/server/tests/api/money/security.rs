//! Regression tests of the OWASP findings of issue 14 that money owns: demo money never meets
//! real money (1), the desk scope applies to every money route that names a customer, a
//! wallet or a transaction (3), and the onboarding stages gate withdrawals and deposits (7).

use brokercrm_core::Money;
use brokercrm_core::identity::auth::Role;
use brokercrm_core::money::ledger::{NewTransfer, TransferCode, TransferId};
use brokercrm_store::entities::{ledger_transfers, payment_requests, wallets as wallet_rows};
use brokercrm_store::repo::identity::users;
use brokercrm_store::repo::money::ledger::{accounts, apply};
use sea_orm::{EntityTrait, PaginatorTrait, Set};
use serde_json::{Value, json};

use crate::helpers::TestApp;
use crate::helpers::assert::{assert_error, field_of};
use crate::helpers::http::{get, json_request, post, post_empty, put, send_concurrently};
use crate::helpers::money::{assert_verified, enable_test_provider, transfer};
use crate::helpers::sales::{on_desk, world};

/// Ledger rows and payment requests: what no refused money path may add to.
async fn rows(t: &TestApp) -> (u64, u64) {
    let conn = t.app.db().conn();
    let transfers = ledger_transfers::Entity::find().count(conn).await.unwrap();
    let requests = payment_requests::Entity::find().count(conn).await.unwrap();
    (transfers, requests)
}

/// Balance and credit of wallet `id`, as the admin reads them.
async fn money(t: &TestApp, admin: &str, id: i64) -> (Value, Value) {
    let (s, b) = get(t, admin, &format!("/api/wallets/{id}/balance")).await;
    assert_eq!(s, 200, "{b}");
    (b["balance"].clone(), b["credit"].clone())
}

/// A wallet the customer opens for itself.
async fn own_wallet(t: &TestApp, token: &str, currency: &str, demo: bool) -> i64 {
    let body = json!({"leverage": "1:100", "currency": currency, "isDemo": demo});
    let (s, b) = post(t, token, "/api/me/wallets", body).await;
    assert_eq!(s, 200, "{b}");
    b["id"].as_i64().unwrap()
}

fn refused(what: &str, (s, b): (u16, Value), field: &str) {
    assert_eq!(s, 422, "{what}: {b}");
    assert_error(&b, "validation_failed");
    assert_eq!(field_of(&b), field, "{what}: {b}");
}

#[tokio::test]
async fn owasp_01_demo_money_never_meets_real_money() {
    let t = TestApp::spawn().await;
    let admin = t.admin_token().await;
    enable_test_provider(&t, &admin).await;
    let c = t.customer().admin(&admin).with_wallet("USD", 100).create().await;
    let (cust, real) = (c.token.clone(), c.wallets[0]);
    let demo = own_wallet(&t, &cust, "USD", true).await;
    let demo2 = own_wallet(&t, &cust, "USD", true).await;
    let real_eur = own_wallet(&t, &cust, "EUR", false).await;
    // Figures count real money only: the dashboard's deposits do not move with a top-up.
    let now = chrono::Utc::now();
    let fmt = |d: chrono::DateTime<chrono::Utc>| {
        d.to_rfc3339_opts(chrono::SecondsFormat::Secs, true).replace('+', "%2B")
    };
    let day = chrono::Duration::days(1);
    let board =
        format!("/api/dashboard?periodStart={}&periodEnd={}", fmt(now - day), fmt(now + day));
    let figures = || async {
        let (s, b) = get(&t, &admin, &board).await;
        assert_eq!(s, 200, "{b}");
        (b["totalDeposits"].clone(), b["depositsByCurrency"].clone())
    };
    let real_figures = figures().await;
    assert_eq!(real_figures.0, 1, "{real_figures:?}");
    let (s, b) = post(
        &t,
        &cust,
        "/api/payment-providers/demo/top-up",
        json!({"walletId": demo, "amount": "1000000"}),
    )
    .await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(figures().await, real_figures, "a demo top-up counted as a deposit");
    // Demo to demo is play money moving within the demo book: allowed.
    let body = json!({"sourceWalletId": demo, "targetWalletId": demo2, "amount": "10"});
    assert_eq!(transfer(&t, &cust, None, body).await.0, 200);
    // Coins to exchange later, and exchange open.
    let (s, b) =
        post(&t, &admin, &format!("/api/customers/{}/coins", c.uuid), json!({"amount": 1000}))
            .await;
    assert_eq!(s, 200, "{b}");
    let (s, b) = put(
        &t,
        &admin,
        "/api/coins/settings",
        json!({"coinsEnabled": true, "dollarsPerCoin": 0.01}),
    )
    .await;
    assert_eq!(s, 200, "{b}");

    let before = rows(&t).await;
    let wallets = [demo, demo2, real, real_eur];
    let mut held = Vec::new();
    for w in wallets {
        held.push(money(&t, &admin, w).await);
    }

    // Transfers, single: customer and staff, either direction, one currency or two.
    for (who, token) in [("customer", &cust), ("staff", &admin)] {
        for (src, dst) in [(demo, real), (real, demo), (demo, real_eur), (real_eur, demo)] {
            let body = json!({"sourceWalletId": src, "targetWalletId": dst, "amount": "5"});
            let what = format!("{who} transfer {src} → {dst}");
            refused(&what, transfer(&t, token, None, body).await, "targetWalletId");
        }
    }
    // Transfers, batched: concurrent requests go through the group-commit lane together (the
    // PostgreSQL statement path on PostgreSQL); every one is refused.
    let requests = (0..12)
        .map(|i| {
            let (src, dst) = if i % 2 == 0 { (demo, real) } else { (real, demo) };
            let key = format!("batch-{i}");
            let body = json!({"sourceWalletId": src, "targetWalletId": dst, "amount": "1"});
            json_request("/api/wallets/transfer", &cust, Some(&key), &body)
        })
        .collect();
    for answer in send_concurrently(&t, requests).await {
        refused("batched transfer", answer, "targetWalletId");
    }
    // Withdrawals from a demo wallet, deposits into one.
    let body =
        json!({"provider": "test", "walletId": demo, "amount": 10, "walletAddress": "addr-1"});
    refused("withdrawal", post(&t, &cust, "/api/me/withdrawals", body).await, "walletId");
    let body = json!({"provider": "test", "walletId": demo, "amount": 10});
    refused("deposit", post(&t, &cust, "/api/me/deposits", body).await, "walletId");
    // Manual transactions move house (real) money.
    for kind in ["DEPOSIT", "WITHDRAWAL", "BONUS", "CORRECTION"] {
        let body = json!({"type": kind, "amount": 5});
        let answer = post(&t, &admin, &format!("/api/wallets/{demo}/transactions"), body).await;
        refused(kind, answer, "walletId");
    }
    // Coins are paid into real wallets only.
    let body = json!({"amount": 300, "walletId": demo});
    refused("coins exchange", post(&t, &cust, "/api/coins/exchange", body).await, "walletId");
    // A mass bonus reports the demo wallet as failed and pays nothing into it.
    let body = json!({"name": "Promo", "currency": "USD", "addToCredit": false, "amount": 50,
                      "accounts": demo.to_string()});
    let (s, b) = post(&t, &admin, "/api/mass-bonuses", body).await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["result"]["total"], 1, "{b}");

    assert_eq!(rows(&t).await, before, "a refused money path wrote ledger or request rows");
    for (w, was) in wallets.iter().zip(&held) {
        assert_eq!(&money(&t, &admin, *w).await, was, "wallet {w} moved");
    }

    // The ledger itself refuses: a transfer between a demo and a real wallet's accounts, by
    // any path that forgot the check, and a demo wallet's account asked for in the real book.
    let conn = t.app.db().conn();
    let account_of = |w: i64| async move {
        let rows = accounts::for_wallet(conn, w).await.unwrap();
        rows.into_iter().find(|a| a.kind == "wallet_balance").unwrap()
    };
    let (from, to) = (account_of(demo).await, account_of(real).await);
    assert!(from.demo && !to.demo);
    for (debit, credit) in [(from.id, to.id), (to.id, from.id)] {
        let tx = t.app.db().begin_write().await.unwrap();
        let nt = NewTransfer {
            id: TransferId::generate(),
            debit_account_id: debit,
            credit_account_id: credit,
            amount: Money::from_minor(1),
            currency: brokercrm_core::Currency::USD,
            code: TransferCode::WalletTransfer,
            user_data: None,
            pending: false,
        };
        let e = apply::transfer(&tx, &nt, "hash").await.unwrap_err();
        assert!(format!("{e:?}").contains("demo and real money never meet"), "{e:?}");
    }
    let key = brokercrm_core::money::ledger::AccountKey::wallet(
        brokercrm_core::money::ledger::AccountKind::WalletBalance,
        demo,
        brokercrm_core::Currency::USD,
        false,
    )
    .unwrap();
    let policy = key.kind().default_policy();
    assert!(accounts::get_or_create(conn, &key, policy).await.is_err());
    assert_eq!(rows(&t).await, before);
    // `ledger verify` holds, its rule that no transfer crosses the books included; a real
    // account moved into the demo book by hand is reported.
    assert_verified(t.app.db()).await;
    use brokercrm_store::entities::ledger_accounts::{Column as A, Entity as Accounts};
    use sea_orm::{ColumnTrait, QueryFilter, sea_query::Expr};
    let flipped = Accounts::update_many()
        .col_expr(A::Demo, Expr::value(true))
        .filter(A::Id.eq(to.id))
        .exec(conn)
        .await
        .unwrap();
    assert_eq!(flipped.rows_affected, 1);
    let report = brokercrm_app::money::ledger::verify(t.app.db()).await.unwrap();
    let found = format!("{:?}", report.violations);
    assert!(found.contains("between the demo and the real book"), "{found}");
}

#[tokio::test]
async fn owasp_03_managers_reach_only_their_desks_money() {
    let t = TestApp::spawn().await;
    let w = world(&t).await;
    let admin = w.admin.token.clone();
    let theirs = t.customer().admin(&admin).with_wallet("USD", 100).create().await;
    let ours = t.customer().admin(&admin).with_wallet("USD", 100).create().await;
    on_desk(&t, theirs.id, w.desk_b).await;
    on_desk(&t, ours.id, w.desk_a).await;
    let deskless = t.user(Role::Manager).create().await;
    let (tw, ow) = (theirs.wallets[0], ours.wallets[0]);
    let tx_of = |id: i64| {
        let (t, admin) = (&t, &admin);
        async move {
            let (s, b) =
                get(t, admin, &format!("/api/transactions?limit=100&customerId={id}")).await;
            assert_eq!(s, 200, "{b}");
            b["transactions"][0]["id"].as_str().unwrap().to_owned()
        }
    };
    for c in [&theirs, &ours] {
        let (s, b) =
            post(&t, &admin, &format!("/api/customers/{}/coins", c.uuid), json!({"amount": 100}))
                .await;
        assert_eq!(s, 200, "{b}");
    }
    let coin_owners = |token: String| {
        let t = &t;
        async move {
            let (s, b) = get(t, &token, "/api/reports/coins").await;
            assert_eq!(s, 200, "{b}");
            let items = b["report"]["items"].as_array().unwrap().clone();
            items.iter().map(|x| x["customerId"].as_i64().unwrap()).collect::<Vec<i64>>()
        }
    };
    let all = coin_owners(admin.clone()).await;
    assert!(all.contains(&theirs.id) && all.contains(&ours.id), "{all:?}");
    assert_eq!(coin_owners(w.manager_a.token.clone()).await, vec![ours.id]);
    assert!(coin_owners(deskless.token.clone()).await.is_empty());
    let their_tx = tx_of(theirs.id).await;
    let unknown_customer =
        post(&t, &admin, "/api/wallets", json!({"customerId": uuid::Uuid::new_v4().to_string()}))
            .await;
    let unknown_coins =
        get(&t, &admin, &format!("/api/coins/transactions?account={}", u32::MAX)).await;
    let wallet_rows = || async {
        let mut all = wallet_rows::Entity::find().all(t.app.db().conn()).await.unwrap();
        all.sort_by_key(|w| w.id);
        all
    };
    let before = (wallet_rows().await, rows(&t).await);
    let now = chrono::Utc::now();
    let stamp = |d: chrono::DateTime<chrono::Utc>| {
        d.to_rfc3339_opts(chrono::SecondsFormat::Secs, true).replace('+', "%2B")
    };
    let day = chrono::Duration::days(1);
    let range = format!("start={}&end={}", stamp(now - day), stamp(now + day));
    // The admin's reports hold both customers.
    for report in ["profit-loss", "balance"] {
        let (s, b) = get(&t, &admin, &format!("/api/reports/{report}?{range}")).await;
        assert_eq!(s, 200, "{b}");
        let ids: Vec<&Value> =
            b["report"].as_array().unwrap().iter().map(|x| &x["walletId"]).collect();
        assert!(ids.contains(&&json!(tw)) && ids.contains(&&json!(ow)), "{report}: {b}");
    }

    for (who, token) in
        [("manager of desk A", &w.manager_a.token), ("deskless manager", &deskless.token)]
    {
        for (what, (s, b)) in [
            ("get wallet", get(&t, token, &format!("/api/wallets/{tw}")).await),
            ("wallet balance", get(&t, token, &format!("/api/wallets/{tw}/balance")).await),
            (
                "wallet transactions",
                post(&t, token, &format!("/api/wallets/{tw}/transactions"), json!({})).await,
            ),
            (
                "update wallet",
                put(&t, token, &format!("/api/wallets/{tw}"), json!({"leverage": 50})).await,
            ),
            ("disable wallet", post_empty(&t, token, &format!("/api/wallets/{tw}/disable")).await),
            ("enable wallet", post_empty(&t, token, &format!("/api/wallets/{tw}/enable")).await),
            (
                "transactions of customer",
                get(&t, token, &format!("/api/transactions?limit=100&customerId={}", theirs.id))
                    .await,
            ),
            (
                "transactions of wallet",
                get(&t, token, &format!("/api/transactions?limit=100&walletId={tw}")).await,
            ),
            ("transaction", get(&t, token, &format!("/api/transactions/{their_tx}")).await),
            (
                "loyalty level",
                get(&t, token, &format!("/api/customers/{}/loyalty-level", theirs.uuid)).await,
            ),
        ] {
            assert_eq!(s, 404, "{who}, {what}: {b}");
            assert_error(&b, "not_found");
        }
        // Where an unknown customer is a 422 on the field, one out of scope is the same 422.
        let (s, b) = post(&t, token, "/api/wallets", json!({"customerId": theirs.uuid})).await;
        assert_eq!((s, &b), (unknown_customer.0, &unknown_customer.1), "{who}, create wallet");
        let (s, b) =
            get(&t, token, &format!("/api/coins/transactions?account={}", theirs.uuid)).await;
        assert_eq!((s, field_of(&b)), (unknown_coins.0, field_of(&unknown_coins.1)), "{who}: {b}");
        assert_eq!(s, 422, "{who}, coins history: {b}");
        // Lists leave the customer out.
        let (s, b) = get(&t, token, &format!("/api/wallets?search={}", theirs.email)).await;
        assert_eq!((s, b["wallets"].as_array().map(Vec::len)), (200, Some(0)), "{who}: {b}");
        let (s, b) = get(&t, token, "/api/transactions?limit=100").await;
        assert_eq!(s, 200, "{b}");
        let listed = b["transactions"].as_array().unwrap();
        assert!(listed.iter().all(|x| x["walletId"] != tw), "{who} lists {tw}: {b}");
        // Reports name customers too: only in-scope lines.
        for report in ["profit-loss", "balance"] {
            let (s, b) = get(&t, token, &format!("/api/reports/{report}?{range}")).await;
            assert_eq!(s, 200, "{b}");
            let lines = b["report"].as_array().unwrap();
            assert!(lines.iter().all(|x| x["walletId"] != tw), "{who}, {report}: {b}");
        }
    }
    assert_eq!((wallet_rows().await, rows(&t).await), before, "an out-of-scope call changed data");

    // The manager of desk A still works their own desk's customer.
    let m = &w.manager_a.token;
    for (what, (s, b)) in [
        ("get wallet", get(&t, m, &format!("/api/wallets/{ow}")).await),
        (
            "transactions",
            get(&t, m, &format!("/api/transactions?limit=100&customerId={}", ours.id)).await,
        ),
        ("loyalty", get(&t, m, &format!("/api/customers/{}/loyalty-level", ours.uuid)).await),
        ("coins", get(&t, m, &format!("/api/coins/transactions?account={}", ours.uuid)).await),
        ("disable", post_empty(&t, m, &format!("/api/wallets/{ow}/disable")).await),
        ("create", post(&t, m, "/api/wallets", json!({"customerId": ours.uuid})).await),
    ] {
        assert_eq!(s, 200, "{what}: {b}");
    }
    let (_, b) = get(&t, m, "/api/transactions?limit=100").await;
    assert!(b["transactions"].as_array().unwrap().iter().any(|x| x["walletId"] == ow), "{b}");
    for report in ["profit-loss", "balance"] {
        let (_, b) = get(&t, m, &format!("/api/reports/{report}?{range}")).await;
        let ids: Vec<&Value> =
            b["report"].as_array().unwrap().iter().map(|x| &x["walletId"]).collect();
        assert!(ids.contains(&&json!(ow)) && !ids.contains(&&json!(tw)), "{report}: {b}");
    }
    let (_, b) = get(&t, m, "/api/wallets").await;
    let ids: Vec<i64> =
        b["wallets"].as_array().unwrap().iter().map(|x| x["id"].as_i64().unwrap()).collect();
    assert!(ids.contains(&ow) && !ids.contains(&tw), "{ids:?}");
}

/// Sets a customer's KYC status and e-mail confirmation directly.
async fn onboard(t: &TestApp, id: i64, kyc: &str, confirmed: bool) {
    let conn = t.app.db().conn();
    let row = users::find_by_id(conn, id).await.unwrap().unwrap();
    let mut ch = users::changes(row);
    ch.kyc_status = Set(kyc.to_owned());
    ch.confirmed_at = Set(confirmed.then(brokercrm_store::db::now));
    users::save(conn, ch).await.unwrap();
}

#[tokio::test]
async fn owasp_07_onboarding_stages_gate_withdrawals_and_deposits() {
    let t = TestApp::spawn().await;
    let admin = t.admin_token().await;
    enable_test_provider(&t, &admin).await;
    let c = t.customer().admin(&admin).with_wallet("USD", 500).create().await;
    let (cust, w) = (c.token.clone(), c.wallets[0]);
    onboard(&t, c.id, "none", false).await;
    let withdraw = || {
        let body = json!({"provider": "test", "walletId": w, "amount": 10, "walletAddress": "a"});
        post(&t, &cust, "/api/me/withdrawals", body)
    };
    let deposit = || {
        post(
            &t,
            &cust,
            "/api/me/deposits",
            json!({"provider": "test", "walletId": w, "amount": 10}),
        )
    };
    // The stage of the KYC and e-mail confirmation steps (what the settings `kyc.required`
    // and `kyc.required_for_deposits` used to say).
    let set = |stage: Option<&'static str>| {
        let (t, admin) = (&t, &admin);
        async move {
            for step in ["KYC", "EmailConfirmation"] {
                let (s, b) = put(
                    t,
                    admin,
                    &format!("/api/onboarding-steps/{step}"),
                    json!({"stage": stage}),
                )
                .await;
                assert_eq!(s, 200, "{b}");
            }
        }
    };
    let forbidden = |what: &str, (s, b): (u16, Value), missing: &[&str]| {
        assert_eq!(s, 403, "{what}: {b}");
        assert_error(&b, "forbidden");
        assert_eq!(b["error"]["details"]["missing"], json!(missing), "{what}: {b}");
        for m in missing {
            assert!(b["error"]["message"].as_str().unwrap().contains(m), "{what}: {b}");
        }
    };

    set(Some("BeforeWithdrawal")).await;
    let before = (rows(&t).await, money(&t, &admin, w).await);
    forbidden("withdrawal", withdraw().await, &["EmailConfirmation", "KYC"]);
    assert_eq!((rows(&t).await, money(&t, &admin, w).await), before, "a refused withdrawal wrote");
    // Deposits are gated only when the steps are at their stage (or earlier).
    let (s, b) = deposit().await;
    assert_eq!(s, 200, "{b}");
    set(Some("BeforeDeposit")).await;
    let before = (rows(&t).await, money(&t, &admin, w).await);
    forbidden("deposit", deposit().await, &["EmailConfirmation", "KYC"]);
    assert_eq!((rows(&t).await, money(&t, &admin, w).await), before, "a refused deposit wrote");

    onboard(&t, c.id, "approved", false).await;
    forbidden("withdrawal", withdraw().await, &["EmailConfirmation"]);
    forbidden("deposit", deposit().await, &["EmailConfirmation"]);
    onboard(&t, c.id, "pending", true).await;
    forbidden("withdrawal", withdraw().await, &["KYC"]);
    onboard(&t, c.id, "approved", true).await;
    let (s, b) = withdraw().await;
    assert_eq!(s, 200, "{b}");
    let (s, b) = deposit().await;
    assert_eq!(s, 200, "{b}");

    // With the steps at no stage, nothing is gated.
    let other = t.customer().admin(&admin).with_wallet("USD", 500).create().await;
    onboard(&t, other.id, "none", false).await;
    set(None).await;
    let body = json!({"provider": "test", "walletId": other.wallets[0], "amount": 10, "walletAddress": "a"});
    let (s, b) = post(&t, &other.token, "/api/me/withdrawals", body).await;
    assert_eq!(s, 200, "{b}");
}
