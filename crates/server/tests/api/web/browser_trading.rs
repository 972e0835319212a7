//! The trading screens in headless Chromium against a real `brokercrm serve` (its price
//! simulator moving the quotes): an instrument edited with a refusal shown beside its field,
//! a position found in the list and closed by staff, and the exposures page redrawn by our
//! script from its live JSON. Screenshots: target/screenshots/.

use brokercrm_core::identity::auth::Role;
use serde_json::json;

use crate::helpers::TestApp;
use crate::helpers::browser::Browser;
use crate::helpers::http::get;
use crate::helpers::trading::{eurusd_market, open};
use crate::helpers::users::PASSWORD;

#[tokio::test]
async fn browser_edit_an_instrument_close_a_position_and_watch_the_exposures() {
    let t = TestApp::spawn().await;
    let admin = t.user(Role::Admin).create().await;
    eurusd_market(&t, &admin.token).await;
    let c = t.customer().admin(&admin.token).with_wallet("USD", 10_000).create().await;
    let body = |size: &str| json!({"accountId": c.wallets[0], "symbol": "EURUSD", "side": "BUY", "size": size});
    let (s, kept) = open(&t, &c.token, body("1")).await;
    assert_eq!(s, 200, "{kept}");
    let (s, closing) = open(&t, &c.token, body("0.3")).await;
    assert_eq!(s, 200, "{closing}");
    let closing = closing["id"].as_i64().unwrap();
    let Some(b) = Browser::start(&t, "browser_trading").await else { return };
    b.login(&admin.email, PASSWORD).await;

    b.click("#menu a[data-menu=instruments]").await;
    b.wait_for("#instruments").await;
    b.shot("instruments").await;
    b.click("#instruments a[href='/admin/instruments/EURUSD']").await;
    b.wait_for("#instrument-form").await;
    b.fill("#instrument-form-margin_percentage", "2000").await;
    b.fill("#instrument-form-trading_hours", "Mon 00:00-24:00\nTue 09:00").await;
    b.click("#instrument-form-submit").await;
    b.wait_for("#instrument-form-margin_percentage-error").await;
    assert!(b.text("#instrument-form-trading_hours-error").await.contains("line 2"));
    b.shot("instrument-error").await;
    b.fill("#instrument-form-margin_percentage", "50").await;
    b.fill("#instrument-form-trading_hours", "").await;
    b.click("#instrument-form-submit").await;
    b.wait_text("#notice", "Saved.", 10).await;
    let (_, i) = get(&t, &admin.token, "/api/instruments/EURUSD").await;
    assert_eq!(i["instrument"]["marginPercentage"], json!(50.0));

    b.click("#menu a[data-menu=positions]").await;
    b.wait_for("#positions").await;
    b.select("#position-filters-status", "OPEN").await;
    b.click("#position-filters-submit").await;
    b.wait_for(&format!("#positions a[href='/admin/positions/{closing}']")).await;
    b.shot("positions").await;
    b.click(&format!("#positions a[href='/admin/positions/{closing}']")).await;
    b.wait_for("#orders").await;
    b.shot("position").await;
    b.c.execute("window.confirm = function () { return true; };", vec![]).await.unwrap();
    b.click("#position button").await;
    b.wait_text("#notice", "Position closed at the market.", 10).await;
    let (_, p) = get(&t, &admin.token, &format!("/api/positions/{closing}")).await;
    assert_eq!(p["closedReason"], "STAFF");

    b.goto("/admin/risk").await;
    b.wait_for("#exposures").await;
    assert!(b.text("#exposures").await.contains("EURUSD"));
    // The script redraws from /admin/risk/live every few seconds.
    let first = b.text("#risk-at").await;
    let start = std::time::Instant::now();
    while b.text("#risk-at").await == first {
        assert!(start.elapsed().as_secs() < 20, "the exposures were not refreshed");
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
    }
    assert!(b.text("#exposures tbody tr[data-key=EURUSD]").await.contains("EURUSD"));
    assert!(b.text("#quotes").await.contains("EURUSD"));
    b.shot("exposures").await;
    b.close().await;
}
