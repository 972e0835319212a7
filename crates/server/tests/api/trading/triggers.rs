//! Triggers firing on ticks with durable commits: stop loss, take profit and trailing stop
//! closes, pending limit and stop fills (a gap fills at the gap price), stop-out (the position
//! losing most first, until the level recovers) with its margin call, and the restart that
//! re-fires what became due while no evaluator ran — exactly once. Every test ends with
//! `ledger verify`.

use brokercrm_app::trading::triggers::{Evaluator, fire};
use brokercrm_core::trading::positions::CloseReason;
use brokercrm_engine::Price;
use serde_json::{Value, json};

use crate::helpers::TestApp;
use crate::helpers::http::{get, post_empty};
use crate::helpers::money::{assert_verified, balance, funded, m, money_of};
use crate::helpers::trading::{eurusd_market, margin_levels, open, quote};

fn order(wallet: i64, side: &str, size: &str, extra: Value) -> Value {
    let mut b = json!({"accountId": wallet, "symbol": "EURUSD", "side": side, "size": size});
    if let (Some(b), Some(e)) = (b.as_object_mut(), extra.as_object()) {
        b.extend(e.clone());
    }
    b
}

async fn opened(t: &TestApp, token: &str, body: Value) -> i64 {
    let (s, p) = open(t, token, body).await;
    assert_eq!(s, 200, "{p}");
    p["id"].as_i64().unwrap()
}

async fn position(t: &TestApp, token: &str, id: i64) -> Value {
    let (s, p) = get(t, token, &format!("/api/positions/{id}")).await;
    assert_eq!(s, 200, "{p}");
    p
}

async fn closed_as(t: &TestApp, token: &str, id: i64, reason: &str, price: &str) {
    let p = position(t, token, id).await;
    assert_eq!(
        (p["status"].as_str(), p["closedReason"].as_str(), p["closePrice"].as_str()),
        (Some("CLOSED"), Some(reason), Some(price)),
        "{p}"
    );
}

#[tokio::test]
async fn stop_loss_take_profit_and_trailing_stop_close_on_ticks() {
    let t = TestApp::spawn().await;
    let (admin, cust, _, w) = funded(&t, 10_000).await;
    eurusd_market(&t, &admin).await;
    let long = opened(
        &t,
        &cust,
        order(w, "BUY", "1", json!({"stopLoss": "1.08300", "takeProfit": "1.08800"})),
    )
    .await;
    let short = opened(&t, &cust, order(w, "SELL", "1", json!({"stopLoss": "1.08700"}))).await;
    let trail = opened(&t, &cust, order(w, "BUY", "1", json!({"tailingStopLossPct": "0.1"}))).await;
    let mut ev = Evaluator::new("a");
    let pass = ev.pass(&t.app).await.unwrap();
    assert!(pass.leader && pass.rebuilt, "{pass:?}");
    assert!(pass.closed.is_empty());
    // four triggers, and the wallet's stop-out threshold on EURUSD
    assert_eq!(ev.book_entries(), 5);

    // the trailing stop follows the bid up (0.1 % behind 1.08650 is 1.08541), and its level is
    // written back (at most once a second), so a restart trails on from it
    quote(&t, &admin, "EURUSD", "1.08650", "1.08660").await;
    assert!(ev.pass(&t.app).await.unwrap().closed.is_empty());
    tokio::time::sleep(std::time::Duration::from_millis(1_050)).await;
    assert!(ev.pass(&t.app).await.unwrap().closed.is_empty());
    let conn = t.app.db().conn();
    let row = brokercrm_store::repo::trading::positions::find(conn, trail).await.unwrap().unwrap();
    assert_eq!(row.trailing_stop, Some(108_541_000));
    // the short's stop loss (ask at or above 1.08700) fires at the ask of the tick
    quote(&t, &admin, "EURUSD", "1.08700", "1.08710").await;
    assert_eq!(ev.pass(&t.app).await.unwrap().closed, [short]);
    closed_as(&t, &cust, short, "STOP_LOSS", "1.08710").await;
    // the long's take profit at the bid; the trailing stop moves to 1.08791
    quote(&t, &admin, "EURUSD", "1.08900", "1.08910").await;
    assert_eq!(ev.pass(&t.app).await.unwrap().closed, [long]);
    closed_as(&t, &cust, long, "TAKE_PROFIT", "1.08900").await;
    // nothing at 1.08800, then a gap under the trailing stop closes at the gap's bid
    quote(&t, &admin, "EURUSD", "1.08800", "1.08810").await;
    assert!(ev.pass(&t.app).await.unwrap().closed.is_empty());
    quote(&t, &admin, "EURUSD", "1.08780", "1.08790").await;
    assert_eq!(ev.pass(&t.app).await.unwrap().closed, [trail]);
    closed_as(&t, &cust, trail, "TRAILING_STOP", "1.08780").await;
    // nothing fires twice; the P/L went to the ledger once each:
    // short −(1.08710 − 1.08500)·100000 = −210; long +390; trailing +270
    assert_eq!(
        ev.pass(&t.app).await.unwrap(),
        brokercrm_app::trading::triggers::Pass { leader: true, ..Default::default() }
    );
    assert_eq!(ev.book_entries(), 0);
    assert_eq!(money_of(&balance(&t, &admin, w).await["balance"]), m("10450"));
    assert_verified(t.app.db()).await;
}

#[tokio::test]
async fn pending_orders_fill_and_a_gap_fills_at_the_gap_price() {
    let t = TestApp::spawn().await;
    let (admin, cust, _, w) = funded(&t, 10_000).await;
    eurusd_market(&t, &admin).await;
    // a buy limit under the ask with a stop loss, and a sell stop under the bid
    let limit = opened(
        &t,
        &cust,
        order(w, "BUY", "1", json!({"openPrice": "1.08400", "stopLoss": "1.08200"})),
    )
    .await;
    let stop = opened(&t, &cust, order(w, "SELL", "0.5", json!({"openPrice": "1.08300"}))).await;
    assert_eq!(position(&t, &cust, limit).await["status"], "PENDING");
    let mut ev = Evaluator::new("a");
    ev.pass(&t.app).await.unwrap();
    quote(&t, &admin, "EURUSD", "1.08450", "1.08460").await;
    assert!(ev.pass(&t.app).await.unwrap().filled.is_empty());
    // the ask jumps under the limit: the buy fills at the ask of the tick, a better price
    quote(&t, &admin, "EURUSD", "1.08350", "1.08360").await;
    assert_eq!(ev.pass(&t.app).await.unwrap().filled, [limit]);
    let p = position(&t, &cust, limit).await;
    assert_eq!((p["status"].as_str(), p["openPrice"].as_str()), (Some("OPEN"), Some("1.08360")));
    let (_, orders) = get(&t, &cust, &format!("/api/positions/{limit}/orders")).await;
    assert_eq!(orders[0]["status"], "FILLED", "{orders}");
    // a gap over the sell stop and the new long's stop loss: both at the gap's bid
    quote(&t, &admin, "EURUSD", "1.08100", "1.08110").await;
    let pass = ev.pass(&t.app).await.unwrap();
    assert_eq!(
        (pass.filled.as_slice(), pass.closed.as_slice()),
        ([stop].as_slice(), [limit].as_slice())
    );
    let s = position(&t, &cust, stop).await;
    assert_eq!((s["status"].as_str(), s["openPrice"].as_str()), (Some("OPEN"), Some("1.08100")));
    closed_as(&t, &cust, limit, "STOP_LOSS", "1.08100").await;
    // the long lost (1.08100 − 1.08360)·100000 = −260
    assert_eq!(money_of(&balance(&t, &admin, w).await["balance"]), m("9740"));
    assert!(ev.pass(&t.app).await.unwrap().filled.is_empty());
    assert_verified(t.app.db()).await;
}

#[tokio::test]
async fn stop_out_closes_the_biggest_loser_first_until_the_level_recovers() {
    let t = TestApp::spawn().await;
    let (admin, cust, _, w) = funded(&t, 1000).await;
    eurusd_market(&t, &admin).await;
    margin_levels(&t, &admin, 100, 50).await;
    // three half lots opened at 1.08510, 1.08410 and 1.08610: margin 3 × 271.25 = 813.75
    let a = opened(&t, &cust, order(w, "BUY", "0.5", json!({}))).await;
    quote(&t, &admin, "EURUSD", "1.08400", "1.08410").await;
    let b2 = opened(&t, &cust, order(w, "BUY", "0.5", json!({}))).await;
    quote(&t, &admin, "EURUSD", "1.08600", "1.08610").await;
    let c = opened(&t, &cust, order(w, "BUY", "0.5", json!({}))).await;
    let mut ev = Evaluator::new("a");
    let pass = ev.pass(&t.app).await.unwrap();
    assert!(pass.margin_calls.is_empty() && pass.stopped_out.is_empty(), "{pass:?}");
    // at 1.08380 the equity is 805: 98.9 % — a margin call, once
    quote(&t, &admin, "EURUSD", "1.08380", "1.08390").await;
    let pass = ev.pass(&t.app).await.unwrap();
    assert_eq!((pass.margin_calls.as_slice(), pass.stopped_out.len()), ([w].as_slice(), 0));
    quote(&t, &admin, "EURUSD", "1.08370", "1.08380").await;
    assert!(ev.pass(&t.app).await.unwrap().margin_calls.is_empty());
    // at 1.08000 the equity is 235: 28.9 %. C loses most (−305), then A (−255): after C
    // 235 / 542.5 = 43.3 % is still under 50, after A 235 / 271.25 = 86.6 % is not.
    quote(&t, &admin, "EURUSD", "1.08000", "1.08010").await;
    let pass = ev.pass(&t.app).await.unwrap();
    assert_eq!(pass.stopped_out, [c, a]);
    closed_as(&t, &cust, c, "STOP_OUT", "1.08000").await;
    closed_as(&t, &cust, a, "STOP_OUT", "1.08000").await;
    assert_eq!(position(&t, &cust, b2).await["status"], "OPEN");
    assert_eq!(money_of(&balance(&t, &admin, w).await["balance"]), m("440"));
    let bal = balance(&t, &admin, w).await;
    assert_eq!(bal["marginLevel"], "86.63", "{bal}");
    assert!(ev.pass(&t.app).await.unwrap().stopped_out.is_empty());
    assert_verified(t.app.db()).await;
}

#[tokio::test]
async fn a_restarted_evaluator_fires_what_became_due_exactly_once() {
    let t = TestApp::spawn().await;
    let (admin, cust, _, w) = funded(&t, 10_000).await;
    eurusd_market(&t, &admin).await;
    let id = opened(&t, &cust, order(w, "BUY", "1", json!({"stopLoss": "1.08300"}))).await;
    let version = position(&t, &cust, id).await["version"].as_i64().unwrap();
    let mut first = Evaluator::new("first");
    assert!(first.pass(&t.app).await.unwrap().leader);
    // the stop loss becomes due and the first process dies before its pass
    quote(&t, &admin, "EURUSD", "1.08200", "1.08210").await;
    let mut second = Evaluator::new("second");
    assert!(!second.pass(&t.app).await.unwrap().leader, "the lease is still held");
    t.clock
        .set(brokercrm_app::platform::clock::Clock::now(&*t.clock) + chrono::Duration::seconds(11));
    let pass = second.pass(&t.app).await.unwrap();
    assert!(pass.leader && pass.rebuilt);
    assert_eq!(pass.closed, [id]);
    closed_as(&t, &cust, id, "STOP_LOSS", "1.08200").await;
    // the first process comes back: no lease, no books, nothing fires
    let back = first.pass(&t.app).await.unwrap();
    assert!(!back.leader && back.closed.is_empty());
    assert_eq!(first.book_entries(), 0);
    // a late commit of the same trigger (same id and version) and a client's close change nothing
    let late =
        fire::close(&t.app, id, version, Price::from_minor(108_200_000), CloseReason::StopLoss)
            .await
            .unwrap();
    assert_eq!(late, fire::Outcome::Moved);
    let (s, _) = post_empty(&t, &cust, &format!("/api/positions/{id}/close")).await;
    assert_eq!(s, 409);
    assert!(second.pass(&t.app).await.unwrap().closed.is_empty());
    // (1.08200 − 1.08510) · 100000 = −310, once
    assert_eq!(money_of(&balance(&t, &admin, w).await["balance"]), m("9690"));
    assert_verified(t.app.db()).await;
}

#[tokio::test]
async fn the_closes_of_one_tick_commit_together_and_a_moved_one_is_left_alone() {
    use brokercrm_app::trading::triggers::closes::{Due, close_many};
    let t = TestApp::spawn().await;
    let (admin, cust, _, w) = funded(&t, 10_000).await;
    let other = t.customer().admin(&admin).with_wallet("USD", 10_000).create().await;
    eurusd_market(&t, &admin).await;
    let sl = |level: &str| json!({ "stopLoss": level });
    let a = opened(&t, &cust, order(w, "BUY", "1", sl("1.08400"))).await;
    let b = opened(&t, &cust, order(w, "BUY", "1", sl("1.08350"))).await;
    let c = opened(&t, &other.token, order(other.wallets[0], "BUY", "1", sl("1.08300"))).await;
    let mut ev = Evaluator::new("a");
    assert!(ev.pass(&t.app).await.unwrap().closed.is_empty());
    // one gap under all three stops: one pass closes them all, each at the gap's bid
    quote(&t, &admin, "EURUSD", "1.08200", "1.08210").await;
    let mut closed = ev.pass(&t.app).await.unwrap().closed;
    closed.sort_unstable();
    assert_eq!(closed, [a, b, c]);
    for id in [a, b] {
        closed_as(&t, &cust, id, "STOP_LOSS", "1.08200").await;
    }
    closed_as(&t, &other.token, c, "STOP_LOSS", "1.08200").await;
    // bought at the ask: (1.08200 − 1.08510) · 100000 = −310 each
    assert_eq!(money_of(&balance(&t, &admin, w).await["balance"]), m("9380"));
    assert_eq!(money_of(&balance(&t, &admin, other.wallets[0]).await["balance"]), m("9690"));

    // a batch where one close names a version that moved on and one another wallet than its
    // own: those are left, the other closes
    let d = opened(&t, &cust, order(w, "BUY", "1", json!({}))).await;
    let e = opened(&t, &cust, order(w, "BUY", "1", json!({}))).await;
    let f = opened(&t, &cust, order(w, "BUY", "1", json!({}))).await;
    let conn = t.app.db().conn();
    let version = |id| async move {
        brokercrm_store::repo::trading::positions::find(conn, id).await.unwrap().unwrap().version
    };
    let at = Price::from_minor(108_200_000);
    let due = [
        Due {
            id: d,
            wallet_id: w,
            version: version(d).await + 1,
            at,
            reason: CloseReason::StopLoss,
        },
        Due { id: e, wallet_id: w, version: version(e).await, at, reason: CloseReason::StopLoss },
        Due {
            id: f,
            wallet_id: other.wallets[0],
            version: version(f).await,
            at,
            reason: CloseReason::StopLoss,
        },
    ];
    let out = close_many(&t.app, &due).await;
    assert!(matches!(out[0], (id, Ok(fire::Outcome::Moved)) if id == d), "{out:?}");
    assert!(matches!(&out[1], (id, Ok(fire::Outcome::Done(_))) if *id == e), "{out:?}");
    assert!(matches!(out[2], (id, Ok(fire::Outcome::Moved)) if id == f), "{out:?}");
    assert_eq!(position(&t, &cust, d).await["status"], "OPEN");
    assert_eq!(position(&t, &cust, f).await["status"], "OPEN");
    closed_as(&t, &cust, e, "STOP_LOSS", "1.08200").await;
    assert_verified(t.app.db()).await;
}

#[tokio::test]
async fn a_batch_of_closes_protects_the_balance_in_order_and_stores_every_closing_order() {
    let t = TestApp::spawn().await;
    let (admin, cust, _, w) = funded(&t, 250).await;
    eurusd_market(&t, &admin).await;
    margin_levels(&t, &admin, 50, 20).await;
    // 0.1 lot each: 10000 / 200 = 50 EUR = 54.25 USD of margin
    let a = opened(&t, &cust, order(w, "BUY", "0.1", json!({"stopLoss": "1.08300"}))).await;
    let b = opened(&t, &cust, order(w, "BUY", "0.1", json!({"stopLoss": "1.08250"}))).await;
    let mut ev = Evaluator::new("a");
    assert!(ev.pass(&t.app).await.unwrap().closed.is_empty());
    // a gap under both: (1.06000 − 1.08510) · 10000 = −251 each, 502 in all against 250
    quote(&t, &admin, "EURUSD", "1.06000", "1.06010").await;
    let pass = ev.pass(&t.app).await.unwrap();
    let mut closed = pass.closed.clone();
    closed.sort_unstable();
    assert_eq!((closed, pass.closed_at.len()), (vec![a, b], 2));
    for id in [a, b] {
        closed_as(&t, &cust, id, "STOP_LOSS", "1.06000").await;
        let p = position(&t, &cust, id).await;
        assert_eq!(p["closedPLInAccountCurrency"].as_f64(), Some(-251.0), "{p}");
        let (s, orders) = get(&t, &cust, &format!("/api/positions/{id}/orders")).await;
        assert_eq!(s, 200, "{orders}");
        let purposes: Vec<_> =
            orders.as_array().unwrap().iter().map(|o| o["purpose"].as_str().unwrap()).collect();
        assert_eq!(purposes, ["OPEN", "CLOSE"], "{orders}");
        assert_eq!(orders[1]["fillPrice"], "1.06000", "{orders}");
    }
    // the first close takes 250 of its 251, the second finds nothing left: never negative
    assert_eq!(money_of(&balance(&t, &admin, w).await["balance"]), m("0"));
    assert_eq!(ev.book_entries(), 0);
    assert_verified(t.app.db()).await;
}

#[tokio::test]
async fn a_stop_touched_between_two_passes_fires_at_the_price_that_touched_it() {
    let t = TestApp::spawn().await;
    let (admin, cust, _, w) = funded(&t, 10_000).await;
    eurusd_market(&t, &admin).await;
    let long = opened(&t, &cust, order(w, "BUY", "1", json!({"stopLoss": "1.08300"}))).await;
    let mut ev = Evaluator::new("a");
    assert!(ev.pass(&t.app).await.unwrap().closed.is_empty());
    // between two passes the bid dips under the stop loss and comes back: the pass sees every
    // tick, not only the latest quote, and closes at the dip's bid
    quote(&t, &admin, "EURUSD", "1.08290", "1.08300").await;
    quote(&t, &admin, "EURUSD", "1.08500", "1.08510").await;
    assert_eq!(ev.pass(&t.app).await.unwrap().closed, [long]);
    closed_as(&t, &cust, long, "STOP_LOSS", "1.08290").await;

    // a trailing stop runs the ticks in their order: up to 1.08900 (the stop moves to 1.08791),
    // down to 1.08780 (it fires there), up again — all between two passes
    let trail = opened(&t, &cust, order(w, "BUY", "1", json!({"tailingStopLossPct": "0.1"}))).await;
    assert!(ev.pass(&t.app).await.unwrap().closed.is_empty());
    quote(&t, &admin, "EURUSD", "1.08900", "1.08910").await;
    quote(&t, &admin, "EURUSD", "1.08780", "1.08790").await;
    quote(&t, &admin, "EURUSD", "1.08900", "1.08910").await;
    assert_eq!(ev.pass(&t.app).await.unwrap().closed, [trail]);
    closed_as(&t, &cust, trail, "TRAILING_STOP", "1.08780").await;
    // P/L: (1.08290 − 1.08510)·100000 = −220, (1.08780 − 1.08510)·100000 = +270
    assert_eq!(money_of(&balance(&t, &admin, w).await["balance"]), m("10050"));
    assert_eq!(ev.book_entries(), 0);
    assert_verified(t.app.db()).await;
}
