//! Swaps: the daily rollover charges a buy and credits a sell by the instrument's points
//! (triple on its triple day, nothing on a weekend day), nothing for a DISABLED instrument or
//! a group with `disableSwapCharges`; a replay of a day adds nothing; the swaps are ledger
//! transfers against the trading P/L house account; days missed are caught up in order, days
//! a group had swaps disabled are not; maintenance enqueues the day's job once. A position
//! closed after a midnight but before the job ran (by the client, staff, or a trigger) is
//! charged the nights it owes by its close, and the job then adds nothing.

use brokercrm_app::trading::swaps::rollover;
use brokercrm_app::trading::triggers::Evaluator;
use brokercrm_core::Money;
use brokercrm_core::trading::swaps::rollover_at;
use brokercrm_store::repo::money::ledger::transfers;
use brokercrm_store::repo::trading::positions;
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use serde_json::{Value, json};

use crate::helpers::TestApp;
use crate::helpers::http::{get, post_empty, put};
use crate::helpers::money::{assert_verified, balance, currency_group, m, money_of};
use crate::helpers::trading::{eurusd, eurusd_market, instrument, open, quote};
use crate::trading::positions::account_balance;

/// The first day on or after today that is a Monday.
pub(crate) fn next_monday() -> NaiveDate {
    let today = Utc::now().date_naive();
    let ahead = (7 - today.weekday().num_days_from_monday()) % 7;
    today + Duration::days(i64::from(ahead))
}

async fn opened(t: &TestApp, token: &str, body: Value) -> i64 {
    let (s, p) = open(t, token, body).await;
    assert_eq!(s, 200, "{p}");
    p["id"].as_i64().unwrap()
}

async fn swap_of(t: &TestApp, token: &str, id: i64) -> Value {
    let (s, p) = get(t, token, &format!("/api/positions/{id}")).await;
    assert_eq!(s, 200, "{p}");
    p["swap"].clone()
}

pub(crate) async fn swaps_disabled(t: &TestApp, admin: &str, group: i64, disabled: bool) {
    let (s, b) = put(
        t,
        admin,
        &format!("/api/groups/{group}"),
        json!({
            "leverage": 200, "markups": [], "commissions": [], "marginCallLevel": 100,
            "stopOutLevel": 50, "adapterName": "neo", "disableSwapCharges": disabled
        }),
    )
    .await;
    assert_eq!(s, 200, "{b}");
}

#[tokio::test]
async fn rollover_charges_once_per_day_triple_on_its_day() {
    let t = TestApp::spawn().await;
    let admin = t.admin_token().await;
    eurusd_market(&t, &admin).await;
    let mut off = eurusd();
    off["symbol"] = json!("GBPUSD");
    off["swapMode"] = json!("DISABLED");
    instrument(&t, &admin, off).await;
    quote(&t, &admin, "GBPUSD", "1.25000", "1.25010").await;
    let c = t.customer().admin(&admin).with_wallet("USD", 10_000).create().await;
    let w = c.wallets[0];
    let group = currency_group(&t, &admin, "USD").await;
    swaps_disabled(&t, &admin, group, false).await;
    let pair = |side: &str, symbol: &str, size: &str| json!({"accountId": w, "symbol": symbol, "side": side, "size": size});
    let long = opened(&t, &c.token, pair("BUY", "EURUSD", "1")).await;
    let short = opened(&t, &c.token, pair("SELL", "EURUSD", "2")).await;
    let flat = opened(&t, &c.token, pair("BUY", "GBPUSD", "1")).await;
    let monday = next_monday();
    // Opened just after Sunday's rollover, whatever today is: a rollover catches up the days
    // a position was open over (up to a week back), and this test counts from Monday's.
    opened_since(&t, &[long, short, flat], just_after(monday - Duration::days(1))).await;

    // Monday: a buy pays 6.5 points × 1 lot × 100000 × 0.00001 = 6.5 USD, a sell of 2 lots
    // earns 1.2 × 2 = 2.4 USD; the DISABLED instrument nothing.
    let r = rollover(&t.app, monday).await.unwrap();
    assert_eq!((r.charged, r.failed), (vec![long, short], vec![]));
    // the same day again adds nothing
    let again = rollover(&t.app, monday).await.unwrap();
    assert!(again.charged.is_empty() && again.failed.is_empty(), "{again:?}");
    assert_eq!(swap_of(&t, &c.token, long).await, json!(-6.5));
    assert_eq!(swap_of(&t, &c.token, short).await, json!(2.4));
    assert_eq!(swap_of(&t, &c.token, flat).await, json!(0.0));
    assert_eq!(money_of(&balance(&t, &admin, w).await["balance"]), m("9995.9"));

    // Wednesday, EURUSD's triple day (three nights), with Tuesday missed (the service was
    // down over its rollover): Tuesday is caught up first, as its own transfer.
    let r = rollover(&t.app, monday + Duration::days(2)).await.unwrap();
    assert_eq!(r.charged, vec![long, short]);
    assert_eq!(swap_of(&t, &c.token, long).await, json!(-32.5));
    assert_eq!(swap_of(&t, &c.token, short).await, json!(12.0));
    let tuesday = format!("trade:{long}:swap:{}", monday + Duration::days(1));
    let tr = transfers::find(t.app.db().conn(), &tuesday).await.unwrap().expect("Tuesday");
    assert_eq!(tr.amount, m("6.5").minor());
    // a replay of an earlier day after a later one adds nothing either
    assert!(rollover(&t.app, monday).await.unwrap().charged.is_empty());
    // Saturday carries no night (Wednesday carried the weekend); Thursday and Friday were
    // missed and are caught up
    let r = rollover(&t.app, monday + Duration::days(5)).await.unwrap();
    assert_eq!(r.charged, vec![long, short]);
    assert_eq!(swap_of(&t, &c.token, long).await, json!(-45.5));
    assert!(rollover(&t.app, monday + Duration::days(5)).await.unwrap().charged.is_empty());

    // a group with disableSwapCharges is never charged, and the days it was disabled are not
    // caught up once it is enabled again
    swaps_disabled(&t, &admin, group, true).await;
    assert!(rollover(&t.app, monday + Duration::days(7)).await.unwrap().charged.is_empty());
    assert_eq!(swap_of(&t, &c.token, long).await, json!(-45.5));

    // 10000 − 6.5 + 2.4 − 6.5 + 2.4 − 19.5 + 7.2 − 13 + 4.8: the house holds the other side
    assert_eq!(money_of(&balance(&t, &admin, w).await["balance"]), m("9971.3"));
    assert_eq!(account_balance(&t, "house:trading_pnl:USD").await, m("28.7"));
    let id = format!("trade:{long}:swap:{}", monday + Duration::days(2));
    let tr = transfers::find(t.app.db().conn(), &id).await.unwrap().expect("the triple swap");
    assert_eq!((tr.code.as_str(), tr.amount), ("TRADING_SWAP", m("19.5").minor()));

    // a close keeps the swap beside the price P/L
    let (s, closed) = post_empty(&t, &c.token, &format!("/api/positions/{long}/close")).await;
    assert_eq!(s, 200, "{closed}");
    assert_eq!(
        (closed["swap"].clone(), closed["closedPLInAccountCurrency"].clone()),
        (json!(-45.5), json!(-10.0))
    );
    // a closed position rolls over no more; the short pays the next Tuesday only
    swaps_disabled(&t, &admin, group, false).await;
    let r = rollover(&t.app, monday + Duration::days(8)).await.unwrap();
    assert_eq!(r.charged, vec![short]);
    assert_eq!(swap_of(&t, &c.token, long).await, json!(-45.5));
    assert_eq!(swap_of(&t, &c.token, short).await, json!(19.2));
    assert_verified(t.app.db()).await;
}

#[tokio::test]
async fn maintenance_enqueues_the_days_rollover_once() {
    let t = TestApp::spawn().await;
    brokercrm_app::workers::maintain(&t.app).await.unwrap();
    brokercrm_app::workers::maintain(&t.app).await.unwrap();
    let now = brokercrm_app::platform::clock::Clock::now(&*t.clock);
    let key = format!("trading.swaps:{}", now.date_naive() - Duration::days(1));
    let conn = t.app.db().conn();
    assert!(brokercrm_app::platform::jobs::unfinished(conn, &key).await.unwrap());
    assert!(t.run_jobs().await >= 1);
    assert!(!brokercrm_app::platform::jobs::unfinished(conn, &key).await.unwrap());
    brokercrm_app::workers::maintain(&t.app).await.unwrap();
    assert!(!brokercrm_app::platform::jobs::unfinished(conn, &key).await.unwrap());
    assert_verified(t.app.db()).await;
}

/// 30 seconds after `day` rolled over (00:00:30 UTC the next day): the job has not run yet.
/// Moves the opening time of `ids` to `at`.
async fn opened_since(t: &TestApp, ids: &[i64], at: DateTime<Utc>) {
    use brokercrm_store::entities::positions::{Column, Entity};
    use sea_orm::sea_query::Expr;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let moved = Entity::update_many()
        .col_expr(Column::OpenedAt, Expr::value(at))
        .filter(Column::Id.is_in(ids.iter().copied()))
        .exec(t.app.db().conn())
        .await
        .unwrap();
    assert_eq!(moved.rows_affected, ids.len() as u64);
}

fn just_after(day: NaiveDate) -> DateTime<Utc> {
    rollover_at(day) + Duration::seconds(30)
}

/// A JSON number of a response (a position's `swap`, its P/L) in minor units.
fn num(v: &Value) -> i64 {
    u(&v.as_f64().unwrap_or_else(|| panic!("not a number: {v}")).to_string())
}

/// A decimal in minor units.
fn u(s: &str) -> i64 {
    m(s).minor()
}

/// The amount and code of ledger transfer `id`, if posted.
async fn transfer(t: &TestApp, id: &str) -> Option<(Money, String)> {
    let tr = transfers::find(t.app.db().conn(), id).await.unwrap()?;
    Some((Money::from_minor(tr.amount), tr.code.as_str().to_owned()))
}

/// Closes `id` as `token` through the HTTP API (the trade lane); returns the closed position.
async fn close(t: &TestApp, token: &str, id: i64) -> Value {
    let (s, closed) = post_empty(t, token, &format!("/api/positions/{id}/close")).await;
    assert_eq!((s, closed["status"].as_str()), (200, Some("CLOSED")), "{closed}");
    closed
}

async fn balance_of(t: &TestApp, admin: &str, wallet: i64) -> i64 {
    money_of(&balance(t, admin, wallet).await["balance"]).minor()
}

/// A USD customer with 10,000 on EURUSD (swap long −6.5 points, short 1.2, Wednesday triple)
/// in a group charging swaps: (admin, customer token, wallet, group).
async fn market(t: &TestApp) -> (String, String, i64, i64) {
    let admin = t.admin_token().await;
    eurusd_market(t, &admin).await;
    let c = t.customer().admin(&admin).with_wallet("USD", 10_000).create().await;
    let group = currency_group(t, &admin, "USD").await;
    swaps_disabled(t, &admin, group, false).await;
    (admin, c.token, c.wallets[0], group)
}

#[tokio::test]
async fn a_close_after_midnight_before_the_job_pays_the_nights_owed() {
    let t = TestApp::spawn().await;
    let (admin, token, w, _) = market(&t).await;
    let buy = json!({"accountId": w, "symbol": "EURUSD", "side": "BUY", "size": "1"});
    let long = opened(&t, &token, buy.clone()).await;
    let held = opened(&t, &token, buy.clone()).await;
    let monday = next_monday();
    // The job ran up to Sunday (charging whatever was due before); Monday rolls over at
    // midnight and the client closes at 00:00:30, before Monday's job ran.
    rollover(&t.app, monday - Duration::days(1)).await.unwrap();
    let (swap0, balance0) =
        (num(&swap_of(&t, &token, long).await), balance_of(&t, &admin, w).await);
    t.clock.set(just_after(monday));
    let closed = close(&t, &token, long).await;
    // the close pays Monday's night: 6.5 USD, as its own transfer, and shows it
    assert_eq!(num(&closed["swap"]), swap0 - u("6.5"));
    assert_eq!(num(&swap_of(&t, &token, long).await), swap0 - u("6.5"));
    let monday_id = format!("trade:{long}:swap:{monday}");
    assert_eq!(transfer(&t, &monday_id).await, Some((m("6.5"), "TRADING_SWAP".into())));
    let pl = num(&closed["closedPLInAccountCurrency"]);
    assert_eq!(balance_of(&t, &admin, w).await, balance0 - u("6.5") + pl);
    let row = positions::find(t.app.db().conn(), long).await.unwrap().unwrap();
    assert_eq!(row.swap_date, Some(monday.to_string()));

    // Monday's job runs afterwards: the open position pays, the closed one nothing more
    let before_job = balance_of(&t, &admin, w).await;
    let r = rollover(&t.app, monday).await.unwrap();
    assert_eq!((r.charged, r.failed), (vec![held], vec![]));
    assert_eq!(num(&swap_of(&t, &token, long).await), swap0 - u("6.5"));
    assert_eq!(balance_of(&t, &admin, w).await, before_job - u("6.5"));
    assert_eq!(transfer(&t, &monday_id).await, Some((m("6.5"), "TRADING_SWAP".into())));

    // Wednesday is EURUSD's triple day: the job ran Tuesday, and a close just after
    // Wednesday's midnight pays three nights (19.5 USD)
    let wednesday = monday + Duration::days(2);
    rollover(&t.app, wednesday - Duration::days(1)).await.unwrap();
    let swap1 = num(&swap_of(&t, &token, held).await);
    t.clock.set(just_after(wednesday));
    let closed = close(&t, &token, held).await;
    assert_eq!(num(&closed["swap"]), swap1 - u("19.5"));
    let id = format!("trade:{held}:swap:{wednesday}");
    assert_eq!(transfer(&t, &id).await, Some((m("19.5"), "TRADING_SWAP".into())));
    assert!(rollover(&t.app, wednesday).await.unwrap().charged.is_empty());
    assert_verified(t.app.db()).await;
}

#[tokio::test]
async fn a_close_catches_up_the_nights_no_job_ran() {
    let t = TestApp::spawn().await;
    let (admin, token, w, _) = market(&t).await;
    let sell = json!({"accountId": w, "symbol": "EURUSD", "side": "SELL", "size": "2"});
    let short = opened(&t, &token, sell).await;
    let monday = next_monday();
    rollover(&t.app, monday - Duration::days(1)).await.unwrap();
    let swap0 = num(&swap_of(&t, &token, short).await);
    // no worker ran from Monday to Thursday's midnight: staff close the short on Friday at
    // 00:00:30; it earns Monday, Tuesday, Wednesday (3) and Thursday: 6 nights × 2.4 USD
    t.clock.set(just_after(monday + Duration::days(3)));
    let (s, closed) = post_empty(&t, &admin, &format!("/api/positions/{short}/close")).await;
    assert_eq!((s, closed["closedReason"].as_str()), (200, Some("STAFF")), "{closed}");
    assert_eq!(num(&closed["swap"]), swap0 + u("14.4"));
    for (back, amount) in [(0, "2.4"), (1, "2.4"), (2, "7.2"), (3, "2.4")] {
        let id = format!("trade:{short}:swap:{}", monday + Duration::days(back));
        assert_eq!(transfer(&t, &id).await, Some((m(amount), "TRADING_SWAP".into())), "{id}");
    }
    assert!(rollover(&t.app, monday + Duration::days(3)).await.unwrap().charged.is_empty());
    assert_verified(t.app.db()).await;
}

#[tokio::test]
async fn a_close_charges_nothing_when_swaps_are_disabled_or_no_midnight_passed() {
    let t = TestApp::spawn().await;
    let (admin, token, w, group) = market(&t).await;
    let buy = json!({"accountId": w, "symbol": "EURUSD", "side": "BUY", "size": "1"});

    // opened after the last rollover: a close owes nothing
    let fresh = opened(&t, &token, buy.clone()).await;
    let balance0 = balance_of(&t, &admin, w).await;
    let closed = close(&t, &token, fresh).await;
    assert_eq!(closed["swap"], json!(0.0));
    let pl = num(&closed["closedPLInAccountCurrency"]);
    assert_eq!(balance_of(&t, &admin, w).await, balance0 + pl);
    let today = Utc::now().date_naive();
    for day in [today - Duration::days(1), today] {
        assert_eq!(transfer(&t, &format!("trade:{fresh}:swap:{day}")).await, None);
    }

    // a group with disableSwapCharges: the close charges nothing, and the fence still moves
    let long = opened(&t, &token, buy).await;
    let monday = next_monday();
    rollover(&t.app, monday - Duration::days(1)).await.unwrap();
    let swap0 = num(&swap_of(&t, &token, long).await);
    swaps_disabled(&t, &admin, group, true).await;
    t.clock.set(just_after(monday));
    let balance1 = balance_of(&t, &admin, w).await;
    let closed = close(&t, &token, long).await;
    assert_eq!(num(&closed["swap"]), swap0);
    let pl = num(&closed["closedPLInAccountCurrency"]);
    assert_eq!(balance_of(&t, &admin, w).await, balance1 + pl);
    assert_eq!(transfer(&t, &format!("trade:{long}:swap:{monday}")).await, None);
    let row = positions::find(t.app.db().conn(), long).await.unwrap().unwrap();
    assert_eq!(row.swap_date, Some(monday.to_string()));
    assert_verified(t.app.db()).await;
}

#[tokio::test]
async fn a_stop_loss_after_midnight_pays_the_night() {
    let t = TestApp::spawn().await;
    let (admin, token, w, _) = market(&t).await;
    let buy = json!({"accountId": w, "symbol": "EURUSD", "side": "BUY", "size": "1",
                     "stopLoss": "1.08300"});
    let first = opened(&t, &token, buy.clone()).await;
    let second = opened(&t, &token, buy).await;
    let monday = next_monday();
    rollover(&t.app, monday - Duration::days(1)).await.unwrap();
    let swap0 = num(&swap_of(&t, &token, first).await);
    t.clock.set(just_after(monday));
    let mut ev = Evaluator::new("swaps");
    assert!(ev.pass(&t.app).await.unwrap().leader);
    // both stop losses fire on one tick and close together, each paying Monday first
    quote(&t, &admin, "EURUSD", "1.08200", "1.08210").await;
    let mut pass = ev.pass(&t.app).await.unwrap();
    pass.closed.sort_unstable();
    assert_eq!(pass.closed, [first, second]);
    for id in [first, second] {
        let (s, p) = get(&t, &token, &format!("/api/positions/{id}")).await;
        assert_eq!(s, 200, "{p}");
        assert_eq!(p["closedReason"].as_str(), Some("STOP_LOSS"), "{p}");
        assert_eq!(num(&p["swap"]), swap0 - u("6.5"));
        let tid = format!("trade:{id}:swap:{monday}");
        assert_eq!(transfer(&t, &tid).await, Some((m("6.5"), "TRADING_SWAP".into())));
    }
    assert!(rollover(&t.app, monday).await.unwrap().charged.is_empty());
    assert_verified(t.app.db()).await;
}

#[tokio::test]
async fn the_swaps_a_close_charges_count_in_the_revenue_share() {
    use brokercrm_core::identity::auth::Role;
    use brokercrm_store::repo::partners::commission_records::{self, RecordFilter};

    use crate::helpers::partners::{assign, make_ib, model};

    let t = TestApp::spawn().await;
    let admin = t.admin_token().await;
    eurusd_market(&t, &admin).await;
    let levels = json!([{"level": 1, "cpaAmount": 0, "cpaMinDeposit": 0, "lotAmount": 0,
                         "revSharePercent": 20}]);
    let model = model(&t, &admin, "Revenue share", levels).await;
    let ib = t.user(Role::Affiliate).create().await;
    make_ib(&t, &admin, &ib.uuid, Some(model)).await;
    let client = t.customer().admin(&admin).with_wallet("USD", 10_000).create().await;
    assign(&t, &admin, &client.uuid, &ib.uuid).await;
    let group = currency_group(&t, &admin, "USD").await;
    swaps_disabled(&t, &admin, group, false).await;
    let (token, w) = (client.token, client.wallets[0]);
    let buy = json!({"accountId": w, "symbol": "EURUSD", "side": "BUY", "size": "1"});
    let long = opened(&t, &token, buy).await;
    let monday = next_monday();
    rollover(&t.app, monday - Duration::days(1)).await.unwrap();
    let swap0 = num(&swap_of(&t, &token, long).await);
    t.clock.set(just_after(monday));
    let closed = close(&t, &token, long).await;
    // the client lost the spread (10 USD) and paid every swap, Monday's 6.5 included: the
    // broker's revenue, of which the introducer earns 20%
    let pl = num(&closed["closedPLInAccountCurrency"]);
    assert_eq!(pl, u("-10"));
    t.run_jobs().await;
    let f = RecordFilter { introducer_id: Some(ib.id), ..RecordFilter::default() };
    let (rows, _) = commission_records::list(t.app.db().conn(), &f, 0, 100).await.unwrap();
    let share: Vec<i64> =
        rows.iter().filter(|r| r.commission_type == "REVENUE_SHARE").map(|r| r.amount).collect();
    assert_eq!(share, [(u("16.5") - swap0) / 5]);
    assert_verified(t.app.db()).await;
}
