//! Reports through HTTP: profit/loss and balance figures checked against the test's own
//! arithmetic (movements before `start`, inside the range and after `end`), sortBy / limit /
//! offset and their validation, the coins report over ledger coin accounts, the XLSX exports
//! (valid workbooks with the expected rows, `?token=`), and permissions (ReadReports).

use std::io::Read;

use brokercrm_app::money::reports::Range;
use brokercrm_app::money::reports::export::{self, ReportType};
use brokercrm_core::identity::auth::Role;
use brokercrm_store::entities::{ledger_accounts, ledger_transfers};
use sea_orm::{ActiveModelTrait, Set};
use serde_json::{Value, json};

use crate::helpers::TestApp;
use crate::helpers::assert::field_of;
use crate::helpers::http::{download_token, get, sheet_xml, xlsx_sheet};
use crate::helpers::money::{group, instant, manual_ok, q, transfer, wallet};
use crate::helpers::users::User;

struct World {
    admin: String,
    range: String,
    /// Wallets a, b (customer 1, USD), e (customer 1, EUR), s (customer 2, USD).
    a: i64,
    b: i64,
    e: i64,
    s: i64,
    c1: i64,
    c2: i64,
}

async fn world(t: &TestApp) -> World {
    let admin = t.admin_token().await;
    let usd = group(t, &admin, "USD", "USD").await;
    let eur = group(t, &admin, "EUR", "EUR").await;
    let User { token: cust, uuid: u1, id: c1, .. } = t.customer().create().await;
    let User { uuid: u2, id: c2, .. } = t.customer().create().await;
    let a = wallet(t, &admin, &u1, usd).await;
    let b = wallet(t, &admin, &u1, usd).await;
    let e = wallet(t, &admin, &u1, eur).await;
    let s = wallet(t, &admin, &u2, usd).await;
    // Before start: a = 70, s = 40.
    manual_ok(t, &admin, a, json!({"type": "DEPOSIT", "amount": 100})).await;
    manual_ok(t, &admin, a, json!({"type": "WITHDRAWAL", "amount": 30})).await;
    manual_ok(t, &admin, s, json!({"type": "DEPOSIT", "amount": 40})).await;
    let start = instant().await;
    manual_ok(t, &admin, a, json!({"type": "DEPOSIT", "amount": 200})).await;
    manual_ok(t, &admin, a, json!({"type": "WITHDRAWAL", "amount": 50})).await;
    manual_ok(t, &admin, a, json!({"type": "BONUS", "amount": 10})).await;
    manual_ok(t, &admin, a, json!({"type": "BONUS", "amount": 5, "addToCredit": true})).await;
    manual_ok(t, &admin, a, json!({"type": "CORRECTION", "amount": -3})).await;
    let (st, body) =
        transfer(t, &cust, None, json!({"sourceWalletId": a, "targetWalletId": b, "amount": 20}))
            .await;
    assert_eq!(st, 200, "{body}");
    manual_ok(t, &admin, e, json!({"type": "DEPOSIT", "amount": "300.12345678"})).await;
    manual_ok(t, &admin, s, json!({"type": "DEPOSIT", "amount": 60})).await;
    manual_ok(t, &admin, s, json!({"type": "CORRECTION", "amount": 2})).await;
    // A demo wallet with demo money: left out of every report.
    let r = t
        .server
        .post("/api/me/wallets")
        .authorization_bearer(&cust)
        .json(&json!({"leverage": "1:100", "currency": "USD", "isDemo": true}))
        .await;
    r.assert_status_ok();
    let demo = r.json::<Value>()["id"].as_i64().unwrap();
    t.server
        .post("/api/payment-providers/demo/top-up")
        .authorization_bearer(&cust)
        .json(&json!({"walletId": demo, "amount": "5000"}))
        .await
        .assert_status_ok();
    let end = instant().await;
    manual_ok(t, &admin, a, json!({"type": "DEPOSIT", "amount": 1000})).await;
    let range = format!("start={}&end={}", q(start), q(end));
    World { admin, range, a, b, e, s, c1, c2 }
}

fn pick(rows: &Value, wallet: i64) -> &Value {
    rows.as_array().unwrap().iter().find(|r| r["walletId"] == wallet).unwrap()
}

fn ids(body: &Value) -> Vec<i64> {
    body["report"].as_array().unwrap().iter().map(|r| r["walletId"].as_i64().unwrap()).collect()
}

#[tokio::test]
async fn profit_loss_and_balance_reports_match_the_movements() {
    let t = TestApp::spawn().await;
    let w = world(&t).await;
    let (admin, range) = (&w.admin, &w.range);

    let (st, body) = get(&t, admin, &format!("/api/reports/profit-loss?{range}")).await;
    assert_eq!(st, 200, "{body}");
    assert_eq!(body["total"], 4);
    assert_eq!(ids(&body), vec![w.a, w.b, w.e, w.s], "default: wallet id order");
    let a = pick(&body["report"], w.a);
    assert_eq!(a["customerId"], w.c1);
    assert_eq!(a["currency"], "USD");
    for (k, v) in [
        ("deposits", "200"),
        ("withdrawals", "50"),
        ("bonuses", "15"),
        ("corrections", "-3"),
        ("transfers", "-20"),
        ("other", "0"),
        ("netDeposits", "150"),
        ("tradingPnl", "0"),
    ] {
        assert_eq!(a[k], v, "a.{k}");
    }
    let b = pick(&body["report"], w.b);
    assert_eq!(
        (&b["transfers"], &b["deposits"], &b["netDeposits"]),
        (&json!("20"), &json!("0"), &json!("0"))
    );
    let e = pick(&body["report"], w.e);
    assert_eq!((&e["currency"], &e["deposits"]), (&json!("EUR"), &json!("300.12345678")));
    let s = pick(&body["report"], w.s);
    assert_eq!(s["customerId"], w.c2);
    assert_eq!(
        (&s["deposits"], &s["corrections"], &s["netDeposits"]),
        (&json!("60"), &json!("2"), &json!("60"))
    );

    // sortBy, limit, offset.
    let (_, body) =
        get(&t, admin, &format!("/api/reports/profit-loss?{range}&sortBy=deposits:desc")).await;
    assert_eq!(ids(&body), vec![w.e, w.a, w.s, w.b]);
    let (_, body) = get(
        &t,
        admin,
        &format!("/api/reports/profit-loss?{range}&sortBy=netDeposits&limit=2&offset=1"),
    )
    .await;
    // netDeposits ascending: b 0, s 60, a 150, e 300.12345678.
    assert_eq!(ids(&body), vec![w.s, w.a]);
    assert_eq!(body["total"], 4);

    let (st, body) = get(&t, admin, &format!("/api/reports/balance?{range}")).await;
    assert_eq!(st, 200, "{body}");
    assert_eq!(body["total"], 4);
    let a = pick(&body["report"], w.a);
    // 70 at start; in 200 + 10; out 50 + 3 + 20; credit 0 → 5.
    for (k, v) in [
        ("openingBalance", "70"),
        ("moneyIn", "210"),
        ("moneyOut", "73"),
        ("closingBalance", "207"),
        ("openingCredit", "0"),
        ("closingCredit", "5"),
    ] {
        assert_eq!(a[k], v, "a.{k}");
    }
    let s = pick(&body["report"], w.s);
    assert_eq!(
        (&s["openingBalance"], &s["moneyIn"], &s["moneyOut"], &s["closingBalance"]),
        (&json!("40"), &json!("62"), &json!("0"), &json!("102"))
    );
    let b = pick(&body["report"], w.b);
    assert_eq!((&b["openingBalance"], &b["closingBalance"]), (&json!("0"), &json!("20")));
    let (_, body) = get(
        &t,
        admin,
        &format!("/api/reports/balance?{range}&sortBy=closingBalance:desc&limit=2&offset=1"),
    )
    .await;
    assert_eq!(ids(&body), vec![w.a, w.s], "e 300.12 > a 207 > s 102 > b 20");

    // A range before any movement: nothing moved, every wallet existed → openings of 0.
    let (_, body) = get(
        &t,
        admin,
        "/api/reports/profit-loss?start=2020-01-01T00:00:00Z&end=2020-02-01T00:00:00Z",
    )
    .await;
    assert_eq!(body, json!({"report": [], "total": 0}));
    let (_, body) =
        get(&t, admin, "/api/reports/balance?start=2020-01-01T00:00:00Z&end=2020-02-01T00:00:00Z")
            .await;
    assert_eq!(body, json!({"report": [], "total": 0}), "wallets created later are left out");

    // The exports: header + 4 rows each.
    for (kind, needle) in [("profitloss", ">Net deposits<"), ("balance", ">Closing balance<")] {
        let dl = download_token(&t, admin).await;
        let r = t.server.get(&format!("/api/reports/export?token={dl}&type={kind}&{range}")).await;
        r.assert_status_ok();
        let xml = xlsx_sheet(&r);
        assert!(xml.contains(needle), "{kind}");
        assert_eq!(xml.matches("<row ").count(), 5, "{kind}");
        assert!(xml.contains(">300.12345678<"));
        // Read one and three lines per round trip: the same sheet (keyset chunks join up).
        let actor = brokercrm_app::identity::auth::authenticate(&t.app, admin).await.unwrap();
        let kind = ReportType::parse(Some(kind)).unwrap();
        let r = Range::parse(Some(&start_of(range)), Some(&end_of(range))).ok();
        for size in [1, 3] {
            let mut f = export::report_in_chunks(&t.app, &actor, kind, r, size).await.unwrap();
            let mut bytes = Vec::new();
            f.read_to_end(&mut bytes).unwrap();
            assert_eq!(sheet_xml(&bytes), xml, "chunks of {size}");
        }
    }
}

fn decoded(s: &str) -> String {
    s.replace("%2B", "+").replace("%3A", ":")
}
fn start_of(range: &str) -> String {
    decoded(range.split('&').next().unwrap().trim_start_matches("start="))
}
fn end_of(range: &str) -> String {
    decoded(range.split('&').nth(1).unwrap().trim_start_matches("end="))
}

#[tokio::test]
async fn report_parameters_are_validated_naming_the_field() {
    let t = TestApp::spawn().await;
    let admin = t.admin_token().await;
    let range = "start=2026-01-01T00:00:00Z&end=2026-02-01T00:00:00Z";
    for (path, field) in [
        ("/api/reports/profit-loss?end=2026-02-01T00:00:00Z".to_owned(), "start"),
        ("/api/reports/balance?start=2026-01-01T00:00:00Z".to_owned(), "end"),
        (
            "/api/reports/balance?start=2026-02-01T00:00:00Z&end=2026-01-01T00:00:00Z".to_owned(),
            "end",
        ),
        (format!("/api/reports/profit-loss?{range}&sortBy=password"), "sortBy"),
        (format!("/api/reports/profit-loss?{range}&sortBy=deposits:sideways"), "sortBy"),
        (format!("/api/reports/balance?{range}&sortBy=deposits"), "sortBy"),
        (format!("/api/reports/balance?{range}&limit=0"), "limit"),
        (format!("/api/reports/balance?{range}&limit=501"), "limit"),
        (format!("/api/reports/balance?{range}&limit=ten"), "limit"),
        (format!("/api/reports/balance?{range}&offset=-1"), "offset"),
        (format!("/api/reports/balance?{range}&offset=18446744073709551615"), "offset"),
        ("/api/reports/coins?sortBy=email".to_owned(), "sortBy"),
        ("/api/reports/export?type=profitloss".to_owned(), "start"),
        ("/api/reports/export?type=weekly".to_owned(), "type"),
        ("/api/reports/export".to_owned(), "type"),
    ] {
        let (st, body) = get(&t, &admin, &path).await;
        assert_eq!((st, field_of(&body)), (422, field.to_owned()), "{path}: {body}");
    }
}

#[tokio::test]
async fn reports_need_the_read_reports_permission() {
    let t = TestApp::spawn().await;
    let range = "start=2026-01-01T00:00:00Z&end=2026-02-01T00:00:00Z";
    let paths = [
        format!("/api/reports/profit-loss?{range}"),
        format!("/api/reports/balance?{range}"),
        "/api/reports/coins".to_owned(),
    ];
    for role in [Role::Customer, Role::ConversionAgent, Role::Support, Role::Affiliate] {
        let token = t.mint_token(role).await.0;
        for p in &paths {
            assert_eq!(get(&t, &token, p).await.0, 403, "{role:?} {p}");
        }
        let dl = download_token(&t, &token).await;
        let r = t.server.get(&format!("/api/reports/export?token={dl}&type=coins")).await;
        assert_eq!(r.status_code().as_u16(), 403, "{role:?}");
    }
    for role in [Role::Risk, Role::Manager] {
        let token = t.mint_token(role).await.0;
        for p in &paths {
            assert_eq!(get(&t, &token, p).await.0, 200, "{role:?} {p}");
        }
    }
    for p in &paths {
        assert_eq!(t.server.get(p).await.status_code().as_u16(), 401);
    }
    let r = t.server.get("/api/reports/export?type=coins").await;
    assert_eq!(r.status_code().as_u16(), 401);
    let r = t.server.get("/api/reports/export?type=coins&token=not-a-jwt").await;
    assert_eq!(r.status_code().as_u16(), 401);
}

/// A ledger account row (the coins code lives on another branch: the report reads the
/// documented kind and currency strings).
async fn account(t: &TestApp, key: &str, kind: &str, overdraft: bool) -> i64 {
    let m = ledger_accounts::ActiveModel {
        key: Set(key.to_owned()),
        kind: Set(kind.to_owned()),
        currency: Set("COINS".to_owned()),
        wallet_id: Set(None),
        provider: Set(None),
        balance: Set(0),
        pending_debits: Set(0),
        pending_credits: Set(0),
        floor: Set(0),
        allows_overdraft: Set(overdraft),
        created_at: Set(chrono::Utc::now()),
        ..Default::default()
    };
    m.insert(t.app.db().conn()).await.unwrap().id
}

async fn coins_move(t: &TestApp, id: &str, debit: i64, credit: i64, coins: i64, code: &str) {
    let m = ledger_transfers::ActiveModel {
        transfer_id: Set(id.to_owned()),
        debit_account_id: Set(debit),
        credit_account_id: Set(credit),
        amount: Set(coins * 100_000_000),
        currency: Set("COINS".to_owned()),
        code: Set(code.to_owned()),
        kind: Set("single".to_owned()),
        state: Set("posted".to_owned()),
        pending_id: Set(None),
        user_data: Set(None),
        body_hash: Set("test".to_owned()),
        created_at: Set(chrono::Utc::now()),
        ..Default::default()
    };
    m.insert(t.app.db().conn()).await.unwrap();
}

#[tokio::test]
async fn coins_report_sums_the_customer_coin_accounts() {
    let t = TestApp::spawn().await;
    let admin = t.admin_token().await;
    let (st, body) = get(&t, &admin, "/api/reports/coins").await;
    assert_eq!(st, 200);
    assert_eq!(body, json!({"report": {"customers": 0, "items": []}}));

    let house = account(&t, "house:coins_liability:COINS", "coins_liability", true).await;
    let one = account(&t, "customer:41:customer_coins:COINS", "customer_coins", false).await;
    let two = account(&t, "customer:42:customer_coins:COINS", "customer_coins", false).await;
    coins_move(&t, "c1", house, one, 1200, "BONUS").await;
    coins_move(&t, "c2", one, house, 300, "COINS_EXCHANGE").await;
    coins_move(&t, "c3", house, two, 500, "BONUS").await;
    coins_move(&t, "c4", house, two, 100, "BONUS").await;

    let (st, body) = get(&t, &admin, "/api/reports/coins").await;
    assert_eq!(st, 200, "{body}");
    assert_eq!(body["report"]["customers"], 2, "the house account is not a customer");
    assert_eq!(
        body["report"]["items"],
        json!([
            {"customerId": 41, "accountId": one, "earned": "1200", "exchanged": "300", "balance": "900"},
            {"customerId": 42, "accountId": two, "earned": "600", "exchanged": "0", "balance": "600"},
        ])
    );
    let (_, body) = get(&t, &admin, "/api/reports/coins?sortBy=balance:asc&limit=1").await;
    assert_eq!(body["report"]["items"][0]["customerId"], 42);
    assert_eq!(body["report"]["customers"], 2);
    let (_, body) = get(&t, &admin, "/api/reports/coins?sortBy=earned:desc&offset=1").await;
    assert_eq!(body["report"]["items"].as_array().unwrap().len(), 1);
    assert_eq!(body["report"]["items"][0]["customerId"], 42);

    let dl = download_token(&t, &admin).await;
    let r = t.server.get(&format!("/api/reports/export?token={dl}&type=coins")).await;
    r.assert_status_ok();
    let xml = sheet_xml(r.as_bytes());
    assert_eq!(xml.matches("<row ").count(), 3, "header + 2 customers");
    assert!(xml.contains(">900<") && xml.contains(">Exchanged<"));
    let actor = brokercrm_app::identity::auth::authenticate(&t.app, &admin).await.unwrap();
    let mut f = export::report_in_chunks(&t.app, &actor, ReportType::Coins, None, 1).await.unwrap();
    let mut bytes = Vec::new();
    f.read_to_end(&mut bytes).unwrap();
    assert_eq!(sheet_xml(&bytes), xml, "chunks of one");
}
