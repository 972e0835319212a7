//! Swaps: the daily rollover charges a buy and credits a sell by the instrument's points
//! (triple on its triple day, nothing on a weekend day), nothing for a DISABLED instrument or
//! a group with `disableSwapCharges`; a replay of a day adds nothing; the swaps are ledger
//! transfers against the trading P/L house account; days missed are caught up in order, days
//! a group had swaps disabled are not; maintenance enqueues the day's job once.

use brokercrm_app::trading::swaps::rollover;
use brokercrm_store::repo::money::ledger::transfers;
use chrono::{Datelike, Duration, NaiveDate, Utc};
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
