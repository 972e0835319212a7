//! The commission engine's accrual: a 3-level tree earning CPA (per level minimum, once per
//! client), per lot and revenue share from deposits and closed positions; exactly once under
//! replayed and concurrent events; demo accounts earn nothing; each accrual a ledger transfer
//! and the ledger verifies.

use brokercrm_app::partners::accrual::{AccrualEvent, accrue, accrue_many};
use brokercrm_core::identity::auth::Role;
use brokercrm_store::repo::partners::commission_records::{self, RecordFilter};
use serde_json::{Value, json};

use crate::helpers::TestApp;
use crate::helpers::http::post;
use crate::helpers::money::{assert_verified, m, manual_ok};
use crate::helpers::partners::{
    assign, closed, make_ib, model, own_records, payable, publish_closed,
};
use crate::helpers::users::User;

fn twice(x: brokercrm_core::Money) -> brokercrm_core::Money {
    x.checked_add(x).unwrap()
}

fn levels() -> Value {
    json!([
        {"level": 1, "cpaAmount": 250, "cpaMinDeposit": 200, "lotAmount": 5, "revSharePercent": 20},
        {"level": 2, "cpaAmount": 50, "cpaMinDeposit": 0, "lotAmount": 1, "revSharePercent": 5},
        {"level": 3, "cpaAmount": 10, "lotAmount": "0.5", "revSharePercent": 1}
    ])
}

/// Admin, the tree top → middle → bottom (each an introducer), and a funded-later client of
/// the bottom one with a USD wallet.
async fn tree(t: &TestApp) -> (String, [User; 3], User) {
    let admin = t.admin_token().await;
    let id = model(t, &admin, "Three levels", levels()).await;
    let top = t.user(Role::Affiliate).create().await;
    let mid = t.user(Role::Affiliate).create().await;
    let bottom = t.user(Role::Affiliate).create().await;
    for ib in [&top, &mid, &bottom] {
        make_ib(t, &admin, &ib.uuid, Some(id)).await;
    }
    assign(t, &admin, &mid.uuid, &top.uuid).await;
    assign(t, &admin, &bottom.uuid, &mid.uuid).await;
    let client = t.customer().admin(&admin).with_wallet("USD", 0).create().await;
    assign(t, &admin, &client.uuid, &bottom.uuid).await;
    (admin, [top, mid, bottom], client)
}

async fn records_of(t: &TestApp, ib: i64) -> Vec<(String, i16, String)> {
    let f = RecordFilter { introducer_id: Some(ib), ..RecordFilter::default() };
    let (rows, _) = commission_records::list(t.app.db().conn(), &f, 0, 100).await.unwrap();
    rows.into_iter()
        .map(|r| {
            (r.commission_type, r.level, brokercrm_core::Money::from_minor(r.amount).to_string())
        })
        .collect()
}

#[tokio::test]
async fn a_three_level_tree_earns_each_kind_at_each_level_once() {
    let t = TestApp::spawn().await;
    let (admin, [top, mid, bottom], client) = tree(&t).await;
    let wallet = client.wallets[0];
    // 100 USD: below level 1's minimum (200), at or above levels 2 and 3's (0).
    manual_ok(&t, &admin, wallet, json!({"type": "DEPOSIT", "amount": 100})).await;
    assert!(t.run_jobs().await >= 1);
    assert_eq!(records_of(&t, bottom.id).await, []);
    assert_eq!(records_of(&t, mid.id).await, [("CPA".into(), 2, "50".into())]);
    assert_eq!(records_of(&t, top.id).await, [("CPA".into(), 3, "10".into())]);
    // 300 USD: level 1's CPA now; levels 2 and 3 had theirs (once per client).
    manual_ok(&t, &admin, wallet, json!({"type": "DEPOSIT", "amount": 300})).await;
    manual_ok(&t, &admin, wallet, json!({"type": "DEPOSIT", "amount": 500})).await;
    t.run_jobs().await;
    assert_eq!(records_of(&t, bottom.id).await, [("CPA".into(), 1, "250".into())]);
    assert_eq!(records_of(&t, mid.id).await.len(), 1);
    // A closed position: 1.5 lots, the client lost 100, paid 3 commission and 0.01 swap, so
    // the broker's net revenue is 103.01.
    publish_closed(&t, &closed(client.id, wallet, "close-1", "1.5", "-100")).await;
    t.run_jobs().await;
    let b = records_of(&t, bottom.id).await;
    assert_eq!(
        b[1..],
        [("LOT".into(), 1, "7.5".into()), ("REVENUE_SHARE".into(), 1, "20.602".into())]
    );
    let mi = records_of(&t, mid.id).await;
    assert_eq!(
        mi[1..],
        [("LOT".into(), 2, "1.5".into()), ("REVENUE_SHARE".into(), 2, "5.1505".into())]
    );
    let tp = records_of(&t, top.id).await;
    assert_eq!(
        tp[1..],
        [("LOT".into(), 3, "0.75".into()), ("REVENUE_SHARE".into(), 3, "1.0301".into())]
    );
    assert_eq!(payable(&t, bottom.id).await, m("278.102"));
    assert_eq!(payable(&t, mid.id).await, m("56.6505"));
    assert_eq!(payable(&t, top.id).await, m("11.7801"));
    // A winning client earns the broker nothing to share, but the lots still pay.
    publish_closed(&t, &closed(client.id, wallet, "close-2", "1", "40")).await;
    t.run_jobs().await;
    assert_eq!(payable(&t, bottom.id).await, m("283.102"));
    // The introducer sees its records with the seed's fields.
    let own = own_records(&t, &bottom.token).await;
    assert_eq!(own.len(), 4);
    assert_eq!(own[0]["commissionType"], "CPA");
    assert_eq!(own[0]["actionType"], "FTD");
    assert_eq!(own[0]["commissionAmount"], 250.0);
    assert_eq!(own[0]["referralId"], client.uuid.as_str());
    assert_eq!(own[0]["introducerId"], bottom.uuid.as_str());
    assert_eq!(own[0]["status"], "PENDING");
    assert_eq!(own[1]["actionType"], "POSITION_CLOSED");
    assert_verified(t.app.db()).await;
}

#[tokio::test]
async fn replayed_and_concurrent_events_accrue_once() {
    let t = TestApp::spawn().await;
    let (_admin, [top, mid, bottom], client) = tree(&t).await;
    let e = closed(client.id, client.wallets[0], "close-replayed", "2", "-50");
    publish_closed(&t, &e).await;
    publish_closed(&t, &e).await;
    t.run_jobs().await;
    let once = (payable(&t, bottom.id).await, payable(&t, mid.id).await, payable(&t, top.id).await);
    assert_eq!(once.0, m("20.602"), "lots 2 × 5 + 20 % of 53.01");
    let event_with = |transfer_id: &str| AccrualEvent::PositionClosed {
        customer_id: client.id,
        position_id: 1,
        symbol: "EURUSD".into(),
        lots: m("2").minor(),
        currency: "USD".into(),
        realised_pl: m("-50").minor(),
        commission: m("3").minor(),
        swap: m("0.01").minor(),
        transfer_id: transfer_id.into(),
        at: brokercrm_store::db::now(),
    };
    let event = event_with("close-replayed");
    assert!(accrue(&t.app, &event).await.unwrap().is_empty(), "a replay accrues nothing");
    // Eight workers race on a fresh event: one set of accruals in all.
    let fresh = event_with("close-raced");
    let runs: Vec<_> = (0..8)
        .map(|_| {
            let (app, e) = (t.app.clone(), fresh.clone());
            tokio::spawn(async move { accrue(&app, &e).await })
        })
        .collect();
    let mut accrued = 0;
    for r in runs {
        match r.await.unwrap() {
            Ok(v) => accrued += v.len(),
            Err(e) => assert!(matches!(e, brokercrm_core::Error::Conflict(_)), "{e:?}"),
        }
    }
    assert_eq!(accrued, 6, "3 levels × (per lot + revenue share)");
    assert_eq!(payable(&t, bottom.id).await, twice(once.0));
    assert_eq!(payable(&t, mid.id).await, twice(once.1));
    assert_eq!(payable(&t, top.id).await, twice(once.2));
    assert_verified(t.app.db()).await;
}

#[tokio::test]
async fn demo_accounts_and_unattributed_clients_earn_nothing() {
    let t = TestApp::spawn().await;
    let (admin, [_, _, bottom], client) = tree(&t).await;
    let group = crate::helpers::money::currency_group(&t, &admin, "USD").await;
    let r = t
        .server
        .post("/api/wallets")
        .authorization_bearer(&admin)
        .json(&json!({"customerId": client.uuid, "groupId": group, "isDemo": true}))
        .await;
    r.assert_status_ok();
    let demo = r.json::<Value>()["id"].as_i64().unwrap();
    let (s, b) = post(
        &t,
        &admin,
        "/api/payment-providers/demo/top-up",
        json!({"walletId": demo, "amount": "5000"}),
    )
    .await;
    assert_eq!(s, 200, "{b}");
    let mut e = closed(client.id, demo, "demo-close", "10", "-1000");
    e.demo = true;
    publish_closed(&t, &e).await;
    let stranger = t.customer().admin(&admin).with_wallet("USD", 1000).create().await;
    publish_closed(&t, &closed(stranger.id, stranger.wallets[0], "stranger-close", "3", "-10"))
        .await;
    t.run_jobs().await;
    let (rows, n) =
        commission_records::list(t.app.db().conn(), &RecordFilter::default(), 0, 10).await.unwrap();
    assert_eq!((rows.len(), n), (0, 0));
    assert_eq!(payable(&t, bottom.id).await, m("0"));
    // The real wallet's deposit still earns.
    manual_ok(&t, &admin, client.wallets[0], json!({"type": "DEPOSIT", "amount": 250})).await;
    t.run_jobs().await;
    assert_eq!(payable(&t, bottom.id).await, m("250"));
}

#[tokio::test]
async fn a_batch_accrues_every_event_once_and_a_failing_batch_runs_its_events_alone() {
    let t = TestApp::spawn().await;
    let (admin, [top, mid, bottom], client) = tree(&t).await;
    let other = t.customer().admin(&admin).with_wallet("USD", 0).create().await;
    assign(&t, &admin, &other.uuid, &mid.uuid).await;
    t.run_jobs().await;
    for i in 0..40 {
        publish_closed(&t, &closed(client.id, client.wallets[0], &format!("b-{i}"), "1", "-10"))
            .await;
    }
    for i in 0..10 {
        publish_closed(&t, &closed(other.id, other.wallets[0], &format!("o-{i}"), "2", "-10"))
            .await;
    }
    // No rate from XTS to USD: this event cannot be accrued, so its batch fails.
    let mut bad = closed(client.id, client.wallets[0], "bad", "1", "-10");
    bad.currency = brokercrm_core::Currency::parse("currency", "XTS").unwrap();
    publish_closed(&t, &bad).await;
    assert_eq!(t.run_jobs().await, 51);
    // Net revenue per close: 10 lost + 3 commission + 0.01 swap = 13.01.
    // bottom (level 1 of client): 40 × (5 + 20 % × 13.01) = 40 × 7.602.
    assert_eq!(payable(&t, bottom.id).await, m("304.08"));
    // mid: level 2 of client 40 × (1 + 5 % × 13.01), level 1 of other 10 × (2 × 5 + 2.602).
    assert_eq!(payable(&t, mid.id).await, m("192.04"));
    // top: level 3 of client 40 × (0.5 + 1 % × 13.01), level 2 of other 10 × (2 + 0.6505).
    assert_eq!(payable(&t, top.id).await, m("51.709"));
    let (_, n) =
        commission_records::list(t.app.db().conn(), &RecordFilter::default(), 0, 1).await.unwrap();
    assert_eq!(n, 40 * 6 + 10 * 4);
    // The bad event ran alone and waits for its retry; the others are done.
    let jobs =
        brokercrm_store::jobs::list_by_kind(t.app.db(), "partners.accrue", 100).await.unwrap();
    let waiting: Vec<_> = jobs.iter().filter(|j| j.status != "done").collect();
    assert_eq!(waiting.len(), 1);
    assert_eq!((waiting[0].status.as_str(), waiting[0].attempts), ("queued", 1));
    assert!(waiting[0].payload.contains("\"bad\""), "{}", waiting[0].payload);
    // A replay of the whole batch adds nothing.
    let events: Vec<AccrualEvent> = (0..40)
        .map(|i| AccrualEvent::PositionClosed {
            customer_id: client.id,
            position_id: 1,
            symbol: "EURUSD".into(),
            lots: m("1").minor(),
            currency: "USD".into(),
            realised_pl: m("-10").minor(),
            commission: m("3").minor(),
            swap: m("0.01").minor(),
            transfer_id: format!("b-{i}"),
            at: brokercrm_store::db::now(),
        })
        .collect();
    assert!(accrue_many(&t.app, &events).await.unwrap().is_empty());
    assert_eq!(payable(&t, bottom.id).await, m("304.08"));
    assert_verified(t.app.db()).await;
}
