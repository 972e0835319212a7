//! The trading forms of the portal, over the API's use cases: an open position's stops, a
//! pending order moved, a manual quote and a new position for a customer. Each: the form for a
//! permitted staff member, a post that changes what the API reads (and is audited), a bad value
//! named beside its field with nothing changed, and a role without the permission refused.

use brokercrm_core::identity::auth::Role;
use serde_json::{Value, json};

use super::trading::book;
use crate::helpers::TestApp;
use crate::helpers::http::get;
use crate::helpers::platform::audited;
use crate::helpers::trading::eurusd_market;
use crate::helpers::users::PASSWORD;
use crate::helpers::web::{location, login};

fn error_of(form: &str, field: &str) -> String {
    format!("id=\"{form}-{field}-error\"")
}

#[tokio::test]
async fn risk_staff_edit_an_open_positions_stops() {
    let t = TestApp::spawn().await;
    let admin = t.admin_token().await;
    let (_, _, open_id, closed_id, _) = book(&t, &admin).await;
    let risk = t.user(Role::Risk).create().await;
    let p = login(&t, &risk.email, PASSWORD).await;
    let page = format!("/admin/positions/{open_id}");

    let html = p.get(&t, &page).await.text();
    assert!(html.contains(&format!("action=\"{page}\"")), "{html}");
    assert!(html.contains("id=\"stops-form-stop_loss\""), "{html}");
    let closed = p.get(&t, &format!("/admin/positions/{closed_id}")).await.text();
    assert!(!closed.contains("stops-form"), "a closed position has no stops form: {closed}");

    let stops = [("stop_loss", "1.07000"), ("take_profit", "1.10000"), ("trailing_pct", "1.5")];
    let r = p.post(&t, &page, &stops).await;
    assert_eq!(location(&r), format!("{page}?done=stops"), "{}", r.text());
    let (_, b) = get(&t, &admin, &format!("/api/positions/{open_id}")).await;
    assert_eq!(
        (b["stopLoss"].clone(), b["takeProfit"].clone(), b["tailingStopLossPct"].clone()),
        (json!(1.07), json!(1.1), json!("1.5")),
        "{b}"
    );
    assert_eq!(audited(&t, "position.update").await, 1);
    let html = p.get(&t, &format!("{page}?done=stops")).await.text();
    assert!(html.contains("Stops saved.") && html.contains("value=\"1.07"), "{html}");

    // A stop loss above the market for a buy, a take profit that is no number: both named,
    // what was typed kept, nothing changed.
    let bad = [("stop_loss", "1.09000"), ("take_profit", "soon"), ("trailing_pct", "")];
    let r = p.post(&t, &page, &bad).await;
    assert_eq!(r.status_code(), 422);
    let html = r.text();
    let named = html.contains(&error_of("stops-form", "stop_loss"))
        || html.contains(&error_of("stops-form", "take_profit"));
    assert!(named && html.contains("value=\"soon\""), "{html}");
    let r = p.post(&t, &page, &[("stop_loss", "1.09000"), ("take_profit", "1.10000")]).await;
    assert_eq!(r.status_code(), 422);
    assert!(r.text().contains("must be below the open price"), "{}", r.text());
    assert!(r.text().contains(&error_of("stops-form", "stop_loss")), "{}", r.text());
    let (_, after) = get(&t, &admin, &format!("/api/positions/{open_id}")).await;
    assert_eq!(
        (after["stopLoss"].clone(), after["version"].clone()),
        (json!(1.07), b["version"].clone())
    );

    // Blank removes a stop; a field not sent is kept.
    let r = p.post(&t, &page, &[("stop_loss", ""), ("take_profit", "1.10000")]).await;
    assert_eq!(location(&r), format!("{page}?done=stops"));
    let (_, b) = get(&t, &admin, &format!("/api/positions/{open_id}")).await;
    assert_eq!(
        (b["stopLoss"].clone(), b["tailingStopLossPct"].clone()),
        (Value::Null, json!("1.5"))
    );

    // A manager (ReadPositions only) gets neither the form nor the change.
    let manager = t.user(Role::Manager).create().await;
    let m = login(&t, &manager.email, PASSWORD).await;
    assert_eq!(m.post(&t, &page, &stops).await.status_code(), 403);
    let (_, c) = get(&t, &admin, &format!("/api/positions/{open_id}")).await;
    assert_eq!(c["version"], b["version"]);
}

#[tokio::test]
async fn risk_staff_move_a_pending_order_from_its_position() {
    let t = TestApp::spawn().await;
    let admin = t.admin_token().await;
    let (_, _, _, _, pending_id) = book(&t, &admin).await;
    let (_, orders) = get(&t, &admin, &format!("/api/positions/{pending_id}/orders")).await;
    let order = orders[0]["id"].as_i64().unwrap();
    let risk = t.user(Role::Risk).create().await;
    let p = login(&t, &risk.email, PASSWORD).await;
    let page = format!("/admin/positions/{pending_id}");

    let list = p.get(&t, "/admin/orders").await.text();
    assert!(list.contains(&format!("href=\"{page}#order-form\"")), "{list}");
    let html = p.get(&t, &page).await.text();
    assert!(html.contains(&format!("action=\"/admin/orders/{order}\"")), "{html}");
    assert!(html.contains("Limit price") && html.contains("value=\"1.07000\""), "{html}");

    let moved = [("limit_price", "1.07500"), ("stop_loss", "1.06000"), ("take_profit", "")];
    let r = p.post(&t, &format!("/admin/orders/{order}"), &moved).await;
    assert_eq!(location(&r), format!("{page}?done=moved"), "{}", r.text());
    let (_, b) = get(&t, &admin, &format!("/api/orders/{order}")).await;
    assert_eq!(
        (b["order"]["limitPrice"].as_str(), b["order"]["stopLoss"].as_str()),
        (Some("1.07500"), Some("1.06000")),
        "{b}"
    );
    assert_eq!(audited(&t, "order.update").await, 1);
    assert!(p.get(&t, &format!("{page}?done=moved")).await.text().contains("Order moved."));

    // Above the ask a buy limit would fill at once: named beside the price, nothing moved.
    let r = p.post(&t, &format!("/admin/orders/{order}"), &[("limit_price", "1.09000")]).await;
    assert_eq!(r.status_code(), 422);
    let html = r.text();
    assert!(html.contains(&error_of("order-form", "limit_price")), "{html}");
    assert!(html.contains("wrong side of the market") && html.contains("value=\"1.09000\""));
    let r = p.post(&t, &format!("/admin/orders/{order}"), &[("limit_price", "cheap")]).await;
    assert_eq!(r.status_code(), 422);
    assert!(r.text().contains(&error_of("order-form", "limit_price")), "{}", r.text());
    let (_, after) = get(&t, &admin, &format!("/api/orders/{order}")).await;
    assert_eq!(after["order"]["limitPrice"], "1.07500");

    // A manager may not move it.
    let manager = t.user(Role::Manager).create().await;
    let m = login(&t, &manager.email, PASSWORD).await;
    let r = m.post(&t, &format!("/admin/orders/{order}"), &[("limit_price", "1.07200")]).await;
    assert_eq!(r.status_code(), 403);
    let (_, after) = get(&t, &admin, &format!("/api/orders/{order}")).await;
    assert_eq!(after["order"]["limitPrice"], "1.07500");
}

#[tokio::test]
async fn an_admin_sets_a_manual_quote_on_the_instrument_page() {
    let t = TestApp::spawn().await;
    let admin = t.user(Role::Admin).create().await;
    eurusd_market(&t, &admin.token).await;
    let p = login(&t, &admin.email, PASSWORD).await;
    let page = "/admin/instruments/EURUSD";
    let html = p.get(&t, page).await.text();
    assert!(html.contains("action=\"/admin/instruments/EURUSD/quote\""), "{html}");
    assert!(html.contains("id=\"quote-form-bid\""), "{html}");

    let before = audited(&t, "instrument.quote").await;
    t.clock
        .set(brokercrm_app::platform::clock::Clock::now(&*t.clock) + chrono::Duration::seconds(1));
    let quote = [("bid", "1.09000"), ("ask", "1.09020")];
    let r = p.post(&t, "/admin/instruments/EURUSD/quote", &quote).await;
    assert_eq!(location(&r), format!("{page}?done=quoted"), "{}", r.text());
    let (_, b) = get(&t, &admin.token, "/api/instruments/EURUSD/quote").await;
    assert_eq!(
        (b["quote"]["bid"].as_str(), b["quote"]["source"].as_str()),
        (Some("1.09000"), Some("manual")),
        "{b}"
    );
    assert_eq!(audited(&t, "instrument.quote").await, before + 1);
    let html = p.get(&t, &format!("{page}?done=quoted")).await.text();
    assert!(html.contains("Quote set.") && html.contains("1.09020"), "{html}");

    // An ask below the bid and a bid with too many decimals: each beside its field.
    t.clock
        .set(brokercrm_app::platform::clock::Clock::now(&*t.clock) + chrono::Duration::seconds(1));
    let r = p.post(&t, "/admin/instruments/EURUSD/quote", &[("bid", "1.1"), ("ask", "1.05")]).await;
    assert_eq!(r.status_code(), 422);
    let html = r.text();
    assert!(
        html.contains(&error_of("quote-form", "ask")) && html.contains("value=\"1.05\""),
        "{html}"
    );
    let r = p
        .post(&t, "/admin/instruments/EURUSD/quote", &[("bid", "1.1000001"), ("ask", "1.2")])
        .await;
    assert_eq!(r.status_code(), 422);
    assert!(r.text().contains(&error_of("quote-form", "bid")), "{}", r.text());
    let (_, b) = get(&t, &admin.token, "/api/instruments/EURUSD/quote").await;
    assert_eq!(b["quote"]["bid"], "1.09000", "nothing stored");
    assert_eq!(audited(&t, "instrument.quote").await, before + 1);

    // Risk reads the instrument (the form greyed out) but may not quote: ManageInstruments,
    // as the API's route.
    let risk = t.user(Role::Risk).create().await;
    let r = login(&t, &risk.email, PASSWORD).await;
    let html = r.get(&t, page).await.text();
    assert!(html.contains("id=\"quote-form\"") && html.contains("<fieldset disabled>"), "{html}");
    let refused =
        r.post(&t, "/admin/instruments/EURUSD/quote", &[("bid", "1.2"), ("ask", "1.3")]).await;
    assert_eq!(refused.status_code(), 403);
    let (_, b) = get(&t, &admin.token, "/api/instruments/EURUSD/quote").await;
    assert_eq!(b["quote"]["bid"], "1.09000");
}

/// How many positions wallet `w` has, as `admin` reads them through the API.
async fn count(t: &TestApp, admin: &str, w: i64) -> i64 {
    let (_, b) = get(t, admin, &format!("/api/positions?accountId={w}")).await;
    b["count"].as_i64().unwrap_or_else(|| panic!("{b}"))
}

#[tokio::test]
async fn staff_open_a_position_for_a_customer() {
    let t = TestApp::spawn().await;
    let admin = t.user(Role::Admin).create().await;
    eurusd_market(&t, &admin.token).await;
    let c = t.customer().admin(&admin.token).with_wallet("USD", 10_000).create().await;
    let w = c.wallets[0];

    // The entry points: the customer's wallet and the positions of a wallet.
    let a = login(&t, &admin.email, PASSWORD).await;
    let new = format!("/admin/positions/new?wallet={w}");
    let html = a.get(&t, &format!("/admin/customers/{}", c.uuid)).await.text();
    assert!(html.contains(&format!("href=\"{new}\"")), "{html}");
    let risk = t.user(Role::Risk).create().await;
    let p = login(&t, &risk.email, PASSWORD).await;
    let html = p.get(&t, &format!("/admin/positions?wallet={w}")).await.text();
    assert!(html.contains(&format!("href=\"{new}\"")), "{html}");
    let html = p.get(&t, &new).await.text();
    assert!(html.contains(&format!("value=\"{w}\"")), "the wallet prefilled: {html}");
    assert!(html.contains("<option value=\"EURUSD\""), "{html}");
    let wallet = w.to_string();
    let ok: Vec<(&str, &str)> = vec![
        ("wallet", &wallet),
        ("symbol", "EURUSD"),
        ("side", "SELL"),
        ("size", "0.3"),
        ("stop_loss", "1.09500"),
        ("take_profit", ""),
        ("trailing_pct", ""),
        ("open_price", ""),
    ];
    let with = |k: &str, v: &'static str| {
        let mut f = ok.clone();
        f.iter_mut().find(|(n, _)| *n == k).unwrap().1 = v;
        f
    };

    // Refused: no size, a wallet that is no number, a sell's stop loss under the market; each
    // beside its field, what was typed kept, nothing opened.
    let r = p.post(&t, "/admin/positions", &with("size", "")).await;
    assert_eq!(r.status_code(), 422);
    assert!(r.text().contains(&error_of("open-form", "size")), "{}", r.text());
    let r = p.post(&t, "/admin/positions", &with("wallet", "abc")).await;
    assert_eq!(r.status_code(), 422);
    let html = r.text();
    assert!(
        html.contains(&error_of("open-form", "wallet")) && html.contains("value=\"abc\""),
        "{html}"
    );
    let r = p.post(&t, "/admin/positions", &with("stop_loss", "1.08400")).await;
    assert_eq!(r.status_code(), 422);
    assert!(r.text().contains(&error_of("open-form", "stop_loss")), "{}", r.text());
    assert_eq!(count(&t, &admin.token, w).await, 0);
    assert_eq!(audited(&t, "position.open").await, 0);

    // Opened at the market, then one at a price set by staff.
    let r = p.post(&t, "/admin/positions", &ok).await;
    let to = location(&r);
    let id: i64 = to
        .strip_prefix("/admin/positions/")
        .and_then(|s| s.strip_suffix("?done=opened"))
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("{to}: {}", r.text()));
    let (_, b) = get(&t, &admin.token, &format!("/api/positions/{id}")).await;
    assert_eq!(
        (b["status"].as_str(), b["side"].as_str(), b["size"].clone(), b["openPrice"].as_str()),
        (Some("OPEN"), Some("SELL"), json!(0.3), Some("1.08500")),
        "{b}"
    );
    assert_eq!((b["accountId"].as_i64(), b["stopLoss"].clone()), (Some(w), json!(1.095)));
    assert!(p.get(&t, &to).await.text().contains("Position opened."));
    let r = p.post(&t, "/admin/positions", &with("open_price", "1.08000")).await;
    assert!(location(&r).ends_with("?done=opened"), "{}", r.text());
    assert_eq!(count(&t, &admin.token, w).await, 2);
    assert_eq!(audited(&t, "position.open").await, 2);

    // Without ManagePositions: no form, no link, no position.
    let manager = t.user(Role::Manager).create().await;
    let m = login(&t, &manager.email, PASSWORD).await;
    assert_eq!(m.get(&t, &new).await.status_code(), 403);
    assert!(!m.get(&t, "/admin/positions").await.text().contains("/admin/positions/new"));
    assert_eq!(m.post(&t, "/admin/positions", &ok).await.status_code(), 403);
    assert_eq!(count(&t, &admin.token, w).await, 2);
}
