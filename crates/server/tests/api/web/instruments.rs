//! The instrument screens: an admin creates one through the form (every field the use case
//! takes, trading hours as lines), a refusal is shown beside its fields with what was typed
//! kept and nothing stored, edits reach the API, the list filters from the URL, delete; a manager
//! reads without the form working for them, support not at all.

use brokercrm_core::identity::auth::Role;
use serde_json::json;

use crate::helpers::TestApp;
use crate::helpers::http::get;
use crate::helpers::users::PASSWORD;
use crate::helpers::web::{location, login};

/// The form of GBPUSD with `changes` applied.
fn gbpusd(changes: &[(&'static str, &'static str)]) -> Vec<(&'static str, &'static str)> {
    let mut f = vec![
        ("symbol", "GBPUSD"),
        ("category", "currencies"),
        ("margin_currency", "gbp"),
        ("currency", "USD"),
        ("decimals", "5"),
        ("profit_calc_mode", "FOREX"),
        ("margin_calc_mode", "FOREX"),
        ("contract_size", "100000"),
        ("margin_percentage", "100"),
        ("hedged_margin_percentage", "50"),
        ("min_order_size", "0.01"),
        ("max_order_size", "50"),
        ("sizes", "[{\"size\": \"0.01\"}, {\"size\": \"1\"}]"),
        ("trading_hours", "Mon 00:00-24:00\nfri 00:00-22:00\n\n"),
        ("timezone", "Europe/London"),
        ("swap_mode", "POINTS"),
        ("swap_long", "-4.1"),
        ("swap_short", "0.5"),
        ("swap_3day_weekday", "3"),
        ("stake_mode", "LOTS"),
        ("status", "ACTIVE"),
        ("sort", "2"),
        ("filename", ""),
        ("file", ""),
    ];
    for (k, v) in changes {
        f.iter_mut().find(|(n, _)| n == k).expect("a form field").1 = v;
    }
    f
}

#[tokio::test]
async fn an_admin_creates_edits_filters_and_deletes_an_instrument() {
    let t = TestApp::spawn().await;
    let admin = t.user(Role::Admin).create().await;
    let p = login(&t, &admin.email, PASSWORD).await;
    let form = p.get(&t, "/admin/instruments/new").await;
    assert_eq!(form.status_code(), 200);
    assert!(form.text().contains("id=\"instrument-form-trading_hours\""), "{}", form.text());

    // Refused: each error beside its field, what was typed kept, nothing stored.
    let bad = gbpusd(&[
        ("decimals", ""),
        ("margin_percentage", "5000"),
        ("trading_hours", "Mon 00:00-24:00\nsometimes"),
        ("min_order_size", "0"),
    ]);
    let r = p.post(&t, "/admin/instruments", &bad).await;
    assert_eq!(r.status_code(), 422);
    let html = r.text();
    for field in ["decimals", "margin_percentage", "trading_hours", "min_order_size"] {
        assert!(html.contains(&format!("id=\"instrument-form-{field}-error\"")), "{field}: {html}");
    }
    assert!(html.contains("line 2: write a session as"), "{html}");
    assert!(html.contains("sometimes") && html.contains("value=\"5000\""), "typed values kept");
    let (s, _) = get(&t, &admin.token, "/api/instruments/GBPUSD").await;
    assert_eq!(s, 404);
    // The use case's own reading of the hours lands beside the field too.
    let r =
        p.post(&t, "/admin/instruments", &gbpusd(&[("trading_hours", "Tue 10:00-09:00")])).await;
    assert_eq!(r.status_code(), 422);
    assert!(r.text().contains("session 1 (to): must be after from"), "{}", r.text());

    let r = p.post(&t, "/admin/instruments", &gbpusd(&[])).await;
    assert_eq!(
        (r.status_code().as_u16(), location(&r)),
        (303, "/admin/instruments/GBPUSD?done=created".to_owned())
    );
    let (_, b) = get(&t, &admin.token, "/api/instruments/GBPUSD").await;
    let i = &b["instrument"];
    assert_eq!(
        (i["marginCurrency"].as_str(), i["timezone"].as_str()),
        (Some("GBP"), Some("Europe/London"))
    );
    assert_eq!(
        i["tradingHours"],
        json!([{"weekday": 1, "from": "00:00", "to": "24:00"}, {"weekday": 5, "from": "00:00", "to": "22:00"}])
    );
    assert_eq!((i["swapLong"].clone(), i["swap3DayWeekday"].clone()), (json!(-4.1), json!(3)));
    assert_eq!(i["sizes"], json!([{"size": "0.01"}, {"size": "1"}]));
    // A taken symbol is named beside the symbol.
    let r = p.post(&t, "/admin/instruments", &gbpusd(&[])).await;
    assert_eq!(r.status_code(), 422);
    assert!(r.text().contains("id=\"instrument-form-symbol-error\""), "{}", r.text());

    // The page shows the stored values; saving changes them (every field replaced).
    let page = p.get(&t, "/admin/instruments/GBPUSD?done=created").await.text();
    assert!(page.contains("Mon 00:00-24:00\nFri 00:00-22:00"), "{page}");
    let edit = gbpusd(&[
        ("margin_percentage", "3.5"),
        ("status", "DISABLED"),
        ("swap_mode", "DISABLED"),
        ("swap_3day_weekday", ""),
        ("trading_hours", ""),
        ("category", "indices"),
    ]);
    let r = p.post(&t, "/admin/instruments/GBPUSD", &edit).await;
    assert_eq!(location(&r), "/admin/instruments/GBPUSD?done=saved");
    let (_, b) = get(&t, &admin.token, "/api/instruments/GBPUSD").await;
    let i = &b["instrument"];
    assert_eq!(
        (i["marginPercentage"].clone(), i["status"].clone()),
        (json!(3.5), json!("DISABLED"))
    );
    assert_eq!(
        (i["swapMode"].clone(), i["swap3DayWeekday"].clone()),
        (json!("DISABLED"), json!(null))
    );
    assert_eq!(i["tradingHours"], json!([]));

    // The list filters from the URL.
    let list = p.get(&t, "/admin/instruments?status=DISABLED&category=indices&q=gbp").await.text();
    assert!(list.contains("href=\"/admin/instruments/GBPUSD\""), "{list}");
    let list = p.get(&t, "/admin/instruments?status=ACTIVE").await.text();
    assert!(
        !list.contains("href=\"/admin/instruments/GBPUSD\"")
            && list.contains("No instrument matches.")
    );

    let r = p.post(&t, "/admin/instruments/GBPUSD/delete", &[]).await;
    assert_eq!(location(&r), "/admin/instruments?done=deleted");
    let (s, _) = get(&t, &admin.token, "/api/instruments/GBPUSD").await;
    assert_eq!(s, 404);
}

#[tokio::test]
async fn a_manager_reads_instruments_but_cannot_change_them() {
    let t = TestApp::spawn().await;
    let admin = t.user(Role::Admin).create().await;
    let a = login(&t, &admin.email, PASSWORD).await;
    let r = a.post(&t, "/admin/instruments", &gbpusd(&[])).await;
    assert_eq!(r.status_code(), 303);
    let manager = t.user(Role::Manager).create().await;
    let p = login(&t, &manager.email, PASSWORD).await;
    let list = p.get(&t, "/admin/instruments").await.text();
    assert!(list.contains("GBPUSD") && !list.contains("/delete"), "no delete offered: {list}");
    let page = p.get(&t, "/admin/instruments/GBPUSD").await;
    assert_eq!(page.status_code(), 200);
    assert!(page.text().contains("<fieldset disabled>"), "the form is read-only");
    assert_eq!(p.get(&t, "/admin/instruments/new").await.status_code(), 403);
    let r = p.post(&t, "/admin/instruments/GBPUSD", &gbpusd(&[("sort", "9")])).await;
    assert_eq!(r.status_code(), 403);
    assert_eq!(p.post(&t, "/admin/instruments/GBPUSD/delete", &[]).await.status_code(), 403);
    let (_, b) = get(&t, &admin.token, "/api/instruments/GBPUSD").await;
    assert_eq!(b["instrument"]["sort"], 2);
    // Support works customers, not instruments.
    let support = t.user(Role::Support).create().await;
    let s = login(&t, &support.email, PASSWORD).await;
    assert_eq!(s.get(&t, "/admin/instruments").await.status_code(), 403);
}
