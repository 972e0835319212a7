//! The position screens: the list with the API's filters, a position with its orders and the
//! staff close (a ledger transfer, verified), the pending orders and their cancel, and the
//! exposures page with its live JSON following a new quote; a manager reads (their desk's
//! customers only) but may not close.

use brokercrm_core::identity::auth::Role;
use serde_json::{Value, json};

use crate::helpers::TestApp;
use brokercrm_store::repo::sales::sales_desks;

use crate::helpers::http::{get, post, post_empty};
use crate::helpers::money::assert_verified;
use crate::helpers::sales::on_desk;
use crate::helpers::trading::{eurusd_market, open, quote};
use crate::helpers::users::PASSWORD;
use crate::helpers::web::{location, login};

/// A customer with a USD wallet: one open buy, one closed sell and a pending buy limit on
/// EURUSD. Returns (customer id, wallet, open id, closed id, pending position id).
pub(super) async fn book(t: &TestApp, admin: &str) -> (i64, i64, i64, i64, i64) {
    eurusd_market(t, admin).await;
    let c = t.customer().admin(admin).with_wallet("USD", 10_000).create().await;
    let w = c.wallets[0];
    let body = |side: &str, size: &str, price: Option<&str>| {
        let mut b = json!({"accountId": w, "symbol": "EURUSD", "side": side, "size": size});
        if let Some(p) = price {
            b["openPrice"] = json!(p);
        }
        b
    };
    let id = |b: &Value| b["id"].as_i64().unwrap();
    let (s, a) = open(t, &c.token, body("BUY", "1", None)).await;
    assert_eq!(s, 200, "{a}");
    let (_, b) = open(t, &c.token, body("SELL", "0.5", None)).await;
    let (s, _) = post_empty(t, &c.token, &format!("/api/positions/{}/close", id(&b))).await;
    assert_eq!(s, 200);
    let (s, pending) = open(t, &c.token, body("BUY", "0.2", Some("1.07000"))).await;
    assert_eq!((s, pending["status"].as_str()), (200, Some("PENDING")), "{pending}");
    (c.id, w, id(&a), id(&b), id(&pending))
}

#[tokio::test]
async fn risk_staff_filter_positions_close_one_and_cancel_an_order() {
    let t = TestApp::spawn().await;
    let admin = t.admin_token().await;
    let (customer, w, open_id, closed_id, pending_id) = book(&t, &admin).await;
    let risk = t.user(Role::Risk).create().await;
    let p = login(&t, &risk.email, PASSWORD).await;

    let row = |id: i64| format!("href=\"/admin/positions/{id}\"");
    let html = p.get(&t, "/admin/positions?status=OPEN&symbol=EURUSD").await.text();
    assert!(html.contains(&row(open_id)) && !html.contains(&row(closed_id)), "{html}");
    assert!(html.contains(&format!("action=\"/admin/positions/{open_id}/close\"")), "{html}");
    let html = p.get(&t, &format!("/admin/positions?customer={customer}&wallet={w}")).await.text();
    assert!(html.contains(&row(open_id)) && html.contains(&row(closed_id)), "{html}");
    assert!(html.contains("1–3 of 3"), "the pending one too: {html}");
    let html = p.get(&t, "/admin/positions?demo=true").await.text();
    assert!(html.contains("No position matches."), "{html}");
    let r = p.get(&t, "/admin/positions?wallet=abc").await;
    assert_eq!(r.status_code(), 422);
    assert!(r.text().contains("id=\"position-filters-wallet-error\""), "{}", r.text());

    // One position with its orders; closed by staff at the market.
    let html = p.get(&t, &format!("/admin/positions/{closed_id}")).await.text();
    assert!(html.contains("CLOSE") && html.contains("OPEN") && html.contains("CLIENT"), "{html}");
    let r = p.post(&t, &format!("/admin/positions/{open_id}/close"), &[]).await;
    assert_eq!(location(&r), format!("/admin/positions/{open_id}?done=closed"));
    let (_, b) = get(&t, &admin, &format!("/api/positions/{open_id}")).await;
    assert_eq!((b["status"].as_str(), b["closedReason"].as_str()), (Some("CLOSED"), Some("STAFF")));
    let page = p.get(&t, &format!("/admin/positions/{open_id}?done=closed")).await.text();
    assert!(page.contains("Position closed at the market.") && page.contains("STAFF"), "{page}");
    // A second close is refused and changes nothing.
    let r = p.post(&t, &format!("/admin/positions/{open_id}/close"), &[]).await;
    assert_eq!(r.status_code(), 400);

    // The pending order, cancelled.
    let html = p.get(&t, "/admin/orders").await.text();
    let (_, orders) = get(&t, &admin, &format!("/api/positions/{pending_id}/orders")).await;
    let order = orders[0]["id"].as_i64().unwrap();
    assert!(html.contains(&format!("action=\"/admin/orders/{order}/cancel\"")), "{html}");
    assert!(html.contains("1.07000") && html.contains("LIMIT"), "{html}");
    let r = p.post(&t, &format!("/admin/orders/{order}/cancel"), &[]).await;
    assert_eq!(location(&r), "/admin/orders?done=cancelled");
    let (_, b) = get(&t, &admin, &format!("/api/orders/{order}")).await;
    assert_eq!(b["order"]["status"], "CANCELLED", "{b}");
    assert!(p.get(&t, "/admin/orders").await.text().contains("No pending order."));
    assert_verified(t.app.db()).await;
}

#[tokio::test]
async fn a_manager_reads_positions_but_may_not_close_or_cancel() {
    let t = TestApp::spawn().await;
    let admin = t.admin_token().await;
    let (customer, _, open_id, _, pending_id) = book(&t, &admin).await;
    let manager = t.user(Role::Manager).create().await;
    let p = login(&t, &manager.email, PASSWORD).await;
    // A manager sees the customers of their sales desk only.
    let html = p.get(&t, "/admin/positions").await.text();
    assert!(html.contains("No position matches."), "{html}");
    let (s, d) = post(
        &t,
        &admin,
        "/api/sales-desks",
        json!({"name": "North", "salesPeople": [manager.uuid]}),
    )
    .await;
    assert_eq!(s, 201, "{d}");
    let desk = sales_desks::find_by_uuid(t.app.db().conn(), d["id"].as_str().unwrap())
        .await
        .unwrap()
        .unwrap();
    on_desk(&t, customer, desk.id).await;
    let html = p.get(&t, "/admin/positions").await.text();
    assert!(html.contains(&format!("href=\"/admin/positions/{open_id}\"")), "{html}");
    assert!(!html.contains("/close\""), "no close offered: {html}");
    assert_eq!(
        p.post(&t, &format!("/admin/positions/{open_id}/close"), &[]).await.status_code(),
        403
    );
    let (_, orders) = get(&t, &admin, &format!("/api/positions/{pending_id}/orders")).await;
    let order = orders[0]["id"].as_i64().unwrap();
    assert_eq!(p.post(&t, &format!("/admin/orders/{order}/cancel"), &[]).await.status_code(), 403);
    let (_, b) = get(&t, &admin, &format!("/api/positions/{open_id}")).await;
    assert_eq!(b["status"], "OPEN");
    // Support has no position screens at all.
    let support = t.user(Role::Support).create().await;
    let s = login(&t, &support.email, PASSWORD).await;
    assert_eq!(s.get(&t, "/admin/positions").await.status_code(), 403);
    assert_eq!(s.get(&t, "/admin/risk/live").await.status_code(), 403);
}

#[tokio::test]
async fn the_exposures_page_and_its_live_figures_follow_the_quotes() {
    let t = TestApp::spawn().await;
    let admin = t.admin_token().await;
    book(&t, &admin).await;
    let risk = t.user(Role::Risk).create().await;
    let p = login(&t, &risk.email, PASSWORD).await;
    let html = p.get(&t, "/admin/risk").await.text();
    assert!(html.contains("data-live=\"/admin/risk/live\""), "{html}");
    assert!(
        html.contains("<tr data-key=\"EURUSD\"><td>EURUSD</td><td class=\"num\">1</td>"),
        "{html}"
    );
    assert!(html.contains("1.08500"), "the latest quote: {html}");

    let r = p.get(&t, "/admin/risk/live?demo=false").await;
    assert_eq!(r.status_code(), 200);
    let live: Value = r.json();
    let e = &live["exposures"][0];
    assert_eq!((e["symbol"].as_str(), e["netLots"].clone()), (Some("EURUSD"), json!(1.0)));
    // The client's buy at 1.08510, valued at the bid 1.08500: the broker is 10 USD up.
    assert_eq!(e["brokerFloatingProfitLoss"], json!(10.0));
    assert_eq!(live["totalFloating"], "10");
    quote(&t, &admin, "EURUSD", "1.08600", "1.08610").await;
    let live: Value = p.get(&t, "/admin/risk/live").await.json();
    assert_eq!(live["exposures"][0]["brokerFloatingProfitLoss"], json!(-90.0));
    assert_eq!(live["quotes"][0]["bid"], "1.08600");
    // The demo book has none; an unknown group is named beside its field.
    let live: Value = p.get(&t, "/admin/risk/live?demo=true").await.json();
    assert_eq!(live["exposures"], json!([]));
    let r = p.get(&t, "/admin/risk?group=nope").await;
    assert_eq!(r.status_code(), 422);
    assert!(r.text().contains("id=\"risk-group-error\""), "{}", r.text());
}
