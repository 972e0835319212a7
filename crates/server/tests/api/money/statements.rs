//! Statements through HTTP: the caller's posted movements in `[start, end)`, oldest first,
//! with running balances that start from the ledger's opening balance at `start` (movements
//! before `start` and after `end` made by the test), never another customer's; range
//! validation naming the field; the XLSX export with the same rows.

use brokercrm_app::money::reports::Range;
use brokercrm_app::money::reports::statements::for_each_in_chunks;
use chrono::Utc;
use serde_json::{Value, json};

use crate::helpers::TestApp;
use crate::helpers::assert::field_of;
use crate::helpers::http::{download_token, get, sheet_xml, xlsx_sheet};
use crate::helpers::money::{funded, group, instant, manual_ok, q, transfer, wallet};
use crate::helpers::users::User;

async fn statement(t: &TestApp, token: &str, query: &str) -> (u16, Value) {
    get(t, token, &format!("/api/me/statements?{query}")).await
}

#[tokio::test]
async fn statement_running_balances_start_from_the_ledger_opening_balance() {
    let t = TestApp::spawn().await;
    let admin = t.admin_token().await;
    let g = group(&t, &admin, "USD", "USD").await;
    let User { token: cust, uuid: cust_uuid, .. } = t.customer().create().await;
    let User { token: other, uuid: other_uuid, .. } = t.customer().create().await;
    let a = wallet(&t, &admin, &cust_uuid, g).await;
    let b = wallet(&t, &admin, &cust_uuid, g).await;
    let s = wallet(&t, &admin, &other_uuid, g).await;

    // Before start: a = 100 - 30 = 70 (credit 10); the stranger holds 7.
    manual_ok(&t, &admin, a, json!({"type": "DEPOSIT", "amount": 100})).await;
    manual_ok(&t, &admin, a, json!({"type": "BONUS", "amount": 10, "addToCredit": true})).await;
    manual_ok(&t, &admin, a, json!({"type": "WITHDRAWAL", "amount": 30})).await;
    manual_ok(&t, &admin, s, json!({"type": "DEPOSIT", "amount": 7})).await;
    let start = instant().await;
    // In range.
    manual_ok(&t, &admin, a, json!({"type": "DEPOSIT", "amount": "50.25", "comment": "wire"}))
        .await;
    let (st, body) =
        transfer(&t, &cust, None, json!({"sourceWalletId": a, "targetWalletId": b, "amount": 20}))
            .await;
    assert_eq!(st, 200, "{body}");
    manual_ok(&t, &admin, b, json!({"type": "CORRECTION", "amount": "-5.5"})).await;
    manual_ok(&t, &admin, s, json!({"type": "DEPOSIT", "amount": 1000})).await;
    let end = instant().await;
    // After end.
    manual_ok(&t, &admin, a, json!({"type": "DEPOSIT", "amount": 999})).await;

    let (st, body) = statement(&t, &cust, &format!("start={}&end={}", q(start), q(end))).await;
    assert_eq!(st, 200, "{body}");
    assert_eq!(body["count"], 4, "{body}");
    let recs = body["statementRecords"].as_array().unwrap();
    let got: Vec<(i64, &str, &str, &str, &str)> = recs
        .iter()
        .map(|r| {
            (
                r["walletId"].as_i64().unwrap(),
                r["type"].as_str().unwrap(),
                r["account"].as_str().unwrap(),
                r["amount"].as_str().unwrap(),
                r["balance"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            (a, "DEPOSIT", "balance", "50.25", "120.25"),
            (a, "WALLET_TRANSFER", "balance", "-20", "100.25"),
            (b, "WALLET_TRANSFER", "balance", "20", "20"),
            (b, "CORRECTION", "balance", "-5.5", "14.5"),
        ]
    );
    assert_eq!(recs[0]["currency"], "USD");
    assert_eq!(recs[0]["comment"], "wire");
    let dates: Vec<&str> = recs.iter().map(|r| r["date"].as_str().unwrap()).collect();
    let mut sorted = dates.clone();
    sorted.sort_unstable();
    assert_eq!(dates, sorted, "oldest first");
    assert!(recs.iter().all(|r| r["walletId"] != s), "never another customer's movements");
    // Read one or two ledger rows per round trip: the same records (keyset chunks join up).
    let cust_id = brokercrm_app::identity::auth::authenticate(&t.app, &cust).await.unwrap().user_id;
    let range = Range { start, end };
    for size in [1, 2] {
        let mut chunked = Vec::new();
        for_each_in_chunks(t.app.db().conn(), cust_id, range, size, |r| {
            chunked.push((r.wallet_id, r.amount.to_string(), r.balance.to_string()));
            Ok(())
        })
        .await
        .unwrap();
        let want: Vec<_> = got.iter().map(|g| (g.0, g.3.to_owned(), g.4.to_owned())).collect();
        assert_eq!(chunked, want, "chunks of {size}");
    }

    // From before the first movement: every movement, the credit account's too, and the
    // last balance of each account is what the ledger holds now (before the late deposit).
    let early = start - chrono::Duration::hours(1);
    let (st, body) = statement(&t, &cust, &format!("start={}&end={}", q(early), q(end))).await;
    assert_eq!(st, 200);
    assert_eq!(body["count"], 7, "{body}");
    let recs = body["statementRecords"].as_array().unwrap();
    assert_eq!(recs[0]["balance"], "100");
    assert_eq!(recs[1]["account"], "credit");
    assert_eq!(recs[1]["balance"], "10");
    assert_eq!(recs[2]["balance"], "70");

    // The other customer sees only their wallet: opening 7, then +1000.
    let (st, body) = statement(&t, &other, &format!("start={}&end={}", q(start), q(end))).await;
    assert_eq!(st, 200);
    assert_eq!(body["count"], 1);
    assert_eq!(body["statementRecords"][0]["walletId"], s);
    assert_eq!(body["statementRecords"][0]["balance"], "1007");

    // The export: header + the same 4 rows.
    let dl = download_token(&t, &cust).await;
    let r = t
        .server
        .get(&format!("/api/me/statements/export?token={dl}&start={}&end={}", q(start), q(end)))
        .await;
    r.assert_status_ok();
    let xml = xlsx_sheet(&r);
    assert_eq!(xml.matches("<row ").count(), 5, "header + 4 records");
    for v in [">Balance<", ">WALLET_TRANSFER<", ">120.25<", ">-5.5<", ">14.5<", ">wire<"] {
        assert!(xml.contains(v), "{v} missing");
    }
    assert!(!xml.contains(">1000<") && !xml.contains(">999<"));
    // The Authorization header works too.
    let r = t
        .server
        .get(&format!("/api/me/statements/export?start={}&end={}", q(start), q(end)))
        .authorization_bearer(&other)
        .await;
    r.assert_status_ok();
    assert_eq!(sheet_xml(r.as_bytes()).matches("<row ").count(), 2);
}

#[tokio::test]
async fn statement_range_is_validated_naming_the_field() {
    let t = TestApp::spawn().await;
    let cust = t.customer().create().await.token;
    let now = Utc::now();
    let day = chrono::Duration::days(1);
    for (query, field) in [
        (format!("end={}", q(now)), "start"),
        (format!("start={}", q(now)), "end"),
        (format!("start=yesterday&end={}", q(now)), "start"),
        (format!("start={}&end=2026-13-01", q(now)), "end"),
        (format!("start={}&end={}", q(now), q(now - day)), "end"),
        (format!("start={}&end={}", q(now), q(now)), "end"),
        (format!("start={}&end={}", q(now - day * 400), q(now)), "end"),
    ] {
        let (st, body) = statement(&t, &cust, &query).await;
        assert_eq!((st, field_of(&body)), (422, field.to_owned()), "{query}: {body}");
    }
    // A customer without wallets has an empty statement; 366 days is allowed.
    let (st, body) =
        statement(&t, &cust, &format!("start={}&end={}", q(now - day * 366), q(now))).await;
    assert_eq!(st, 200, "{body}");
    assert_eq!(body, json!({"statementRecords": [], "count": 0}));
    // No token → 401, on the list and on the export.
    assert_eq!(t.server.get("/api/me/statements").await.status_code().as_u16(), 401);
    let r = t
        .server
        .get(&format!("/api/me/statements/export?start={}&end={}", q(now - day), q(now)))
        .await;
    assert_eq!(r.status_code().as_u16(), 401);
    let dl = download_token(&t, &cust).await;
    let r =
        t.server.get(&format!("/api/me/statements/export?token={dl}&start={}", q(now - day))).await;
    assert_eq!(r.status_code().as_u16(), 422);
    assert_eq!(field_of(&r.json()), "end");
}

#[tokio::test]
async fn a_reserved_withdrawal_appears_only_once_posted_with_the_approved_amount() {
    let t = TestApp::spawn().await;
    let (admin, cust, _, w) = funded(&t, 1000).await;
    let start = instant().await;
    let r = t
        .server
        .post("/api/me/withdrawals")
        .authorization_bearer(&cust)
        .json(&json!({"provider": "test", "currency": "USD", "amount": 300, "walletAddress": "x"}))
        .await;
    r.assert_status_ok();
    let id = r.json::<Value>()["withdrawal"]["id"].as_str().unwrap().to_owned();
    let mid = instant().await;
    // Reserved only: nothing posted, so no record.
    let (st, body) = statement(&t, &cust, &format!("start={}&end={}", q(start), q(mid))).await;
    assert_eq!(st, 200);
    assert_eq!(body["count"], 0, "{body}");

    let r = t
        .server
        .post(&format!("/api/transactions/{id}/approve"))
        .authorization_bearer(&admin)
        .json(&json!({"changedAmount": 250}))
        .await;
    r.assert_status_ok();
    let end = instant().await;
    let (st, body) = statement(&t, &cust, &format!("start={}&end={}", q(start), q(end))).await;
    assert_eq!(st, 200);
    assert_eq!(body["count"], 1, "{body}");
    let rec = &body["statementRecords"][0];
    assert_eq!((rec["walletId"].as_i64(), &rec["type"]), (Some(w), &json!("WITHDRAWAL")));
    assert_eq!((&rec["amount"], &rec["balance"]), (&json!("-250"), &json!("750")));

    // The reports see it too: withdrawals 250, balance 1000 → 750.
    let range = format!("start={}&end={}", q(start), q(end));
    let r = t
        .server
        .get(&format!("/api/reports/profit-loss?{range}"))
        .authorization_bearer(&admin)
        .await;
    let b: Value = r.json();
    assert_eq!(b["report"][0]["withdrawals"], "250", "{b}");
    assert_eq!(b["report"][0]["netDeposits"], "-250");
    let r =
        t.server.get(&format!("/api/reports/balance?{range}")).authorization_bearer(&admin).await;
    let b: Value = r.json();
    assert_eq!(
        (
            &b["report"][0]["openingBalance"],
            &b["report"][0]["moneyOut"],
            &b["report"][0]["closingBalance"]
        ),
        (&json!("1000"), &json!("250"), &json!("750"))
    );
}
