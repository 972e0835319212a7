//! Each screen answers only the roles its use case admits (the same permission check as the
//! API), lists keep their filters in the URL, and forms show errors beside the field.

use brokercrm_core::identity::auth::Role;
use serde_json::json;

use crate::helpers::TestApp;
use crate::helpers::http::post;
use crate::helpers::money::funded;
use crate::helpers::users::PASSWORD;
use crate::helpers::web::{location, login};

/// Screens and the roles that may open them (admin, manager, conversion, retention, risk,
/// support), as docs/permissions.md has them for the use cases behind them.
const SCREENS: &[(&str, [bool; 6])] = &[
    ("/admin", [true, true, true, true, true, true]),
    ("/admin/leads", [true, true, true, true, true, true]),
    ("/admin/leads/import", [true, true, true, true, true, true]),
    ("/admin/customers", [true, true, true, true, true, true]),
    ("/admin/transactions", [true, true, false, false, true, false]),
    ("/admin/wallets", [true, true, false, false, true, true]),
    ("/admin/bonuses", [true, true, false, false, true, true]),
    ("/admin/payment-providers", [true, true, false, false, true, false]),
    ("/admin/withdrawals", [true, true, false, false, true, false]),
    ("/admin/partners", [true, true, false, false, true, false]),
    ("/admin/commissions", [true, true, false, false, true, false]),
    ("/admin/payouts", [true, true, false, false, true, false]),
    ("/admin/banners", [true, true, false, false, true, false]),
    ("/admin/offers", [true, true, false, false, true, false]),
    ("/admin/audit", [true, true, false, false, true, false]),
    ("/admin/advertisers", [true, true, false, false, true, false]),
    ("/admin/affiliate-tokens", [true, true, false, false, true, false]),
    ("/admin/lead-rules", [true, true, false, false, true, false]),
    ("/admin/sales-setup", [true, true, true, true, true, true]),
    ("/admin/settings", [true, true, false, false, false, false]),
    ("/admin/users", [true, false, false, false, false, false]),
    ("/admin/api-keys", [true, false, false, false, false, false]),
    ("/admin/market-data/applications", [true, true, false, false, false, true]),
    ("/admin/market-data/feeds", [true, true, false, false, false, true]),
    ("/admin/market-data/accounts", [true, true, false, false, false, true]),
    ("/admin/messages", [true, true, false, false, false, true]),
    ("/admin/kyc", [true, true, true, true, true, true]),
    ("/admin/onboarding", [true, true, true, true, true, true]),
    ("/admin/email-templates", [true, false, false, false, false, false]),
    ("/admin/instruments", [true, true, false, false, true, false]),
    ("/admin/positions", [true, true, false, false, true, false]),
    ("/admin/orders", [true, true, false, false, true, false]),
    ("/admin/risk", [true, true, false, false, true, false]),
];

const ROLES: [Role; 6] = [
    Role::Admin,
    Role::Manager,
    Role::ConversionAgent,
    Role::RetentionAgent,
    Role::Risk,
    Role::Support,
];

#[tokio::test]
async fn each_screen_opens_for_the_roles_its_use_case_admits_and_the_menu_matches() {
    let t = TestApp::spawn().await;
    for (i, role) in ROLES.iter().enumerate() {
        let u = t.user(*role).create().await;
        let p = login(&t, &u.email, PASSWORD).await;
        let home = p.get(&t, "/admin").await.text();
        for (path, allowed) in SCREENS {
            let r = p.get(&t, path).await;
            let want = if allowed[i] { 200 } else { 403 };
            assert_eq!(r.status_code(), want, "{role:?} {path}");
            // The menu links exactly the screens the role may open.
            let linked = home.contains(&format!("<a href=\"{path}\" data-menu="));
            // One menu entry opens the market-data screens (their tabs lead to the others).
            if !matches!(
                *path,
                "/admin/leads/import"
                    | "/admin/market-data/feeds"
                    | "/admin/market-data/accounts"
                    | "/admin/orders"
                    | "/admin/risk"
            ) {
                assert_eq!(linked, allowed[i], "{role:?}: menu link to {path}");
            }
        }
    }
    // Customers and affiliates have no portal.
    let c = t.user(Role::Customer).create().await;
    let r = crate::helpers::web::post_login(&t, &c.email, PASSWORD).await;
    assert_eq!(r.status_code(), 401);
}

#[tokio::test]
async fn the_leads_list_filters_sorts_and_pages_from_the_url() {
    let t = TestApp::spawn().await;
    let admin = t.user(Role::Admin).create().await;
    for (first, email, source) in [
        ("Zed", "zed@example.com", "web"),
        ("Amy", "amy@example.com", "fair"),
        ("Bob", "bob@example.com", "web"),
    ] {
        let (s, b) = post(
            &t,
            &admin.token,
            "/api/leads",
            json!({"name": format!("{first} Test"), "email": email, "source": source}),
        )
        .await;
        assert_eq!(s, 201, "{b}");
    }
    let p = login(&t, &admin.email, PASSWORD).await;
    let html = p.get(&t, "/admin/leads?source=web&order=name%7CASC").await.text();
    let at = |name: &str| html.find(name).unwrap_or_else(|| panic!("{name} missing: {html}"));
    let (bob, zed) = (at("Bob Test"), at("Zed Test"));
    assert!(bob < zed, "sorted by name");
    assert!(!html.contains("Amy Test"), "filtered by source");
    assert!(html.contains("value=\"web\""), "the filter is kept in the form");
    let html = p.get(&t, "/admin/leads?q=amy%40").await.text();
    assert!(html.contains("Amy Test") && !html.contains("Bob Test"));
    let html = p.get(&t, "/admin/leads?country=123").await.text();
    assert!(html.contains("id=\"filter-error\""), "a bad filter is shown, not a crash");
}

#[tokio::test]
async fn a_bad_cap_shows_its_error_beside_the_field_and_keeps_the_input() {
    let t = TestApp::spawn().await;
    let admin = t.user(Role::Admin).create().await;
    let offer = crate::helpers::distribution::offer(&t, "Spring", "priority").await;
    let adv = crate::helpers::distribution::internal_crm(&t, "House").await;
    let p = login(&t, &admin.email, PASSWORD).await;
    let path = format!("/admin/offers/{}/caps", offer.uuid);
    let r = p
        .post(
            &t,
            &path,
            &[
                ("advertiser", &adv.uuid),
                ("period", "day"),
                ("kind", "accepted"),
                ("max_count", "-5"),
            ],
        )
        .await;
    assert_eq!(r.status_code(), 422);
    let html = r.text();
    assert!(html.contains("id=\"max_count-error\""), "{html}");
    assert!(html.contains("value=\"-5\""), "what was typed is kept");
    let r = p
        .post(
            &t,
            &path,
            &[
                ("advertiser", &adv.uuid),
                ("period", "day"),
                ("kind", "accepted"),
                ("max_count", "25"),
            ],
        )
        .await;
    assert_eq!(r.status_code(), 303);
    let html = p.get(&t, &format!("/admin/offers/{}", offer.uuid)).await.text();
    assert!(html.contains("value=\"25\""), "the cap is listed: {html}");
    // A name too long, on the offer form.
    let long = "x".repeat(300);
    let r = p
        .post(
            &t,
            &format!("/admin/offers/{}", offer.uuid),
            &[("name", &long), ("rotation_mode", "priority")],
        )
        .await;
    assert_eq!(r.status_code(), 422);
    assert!(r.text().contains("id=\"name-error\""));
}

#[tokio::test]
async fn a_withdrawal_decision_sent_twice_with_one_key_acts_once() {
    let t = TestApp::spawn().await;
    let (api_admin, cust, _, w) = funded(&t, 1000).await;
    let (s, b) = post(
        &t,
        &cust,
        "/api/me/withdrawals",
        json!({"provider": "test", "currency": "USD", "amount": 300, "walletAddress": "addr-1"}),
    )
    .await;
    assert_eq!(s, 200, "{b}");
    let id = b["withdrawal"]["id"].as_str().unwrap().to_owned();
    let admin = t.user(Role::Admin).create().await;
    let p = login(&t, &admin.email, PASSWORD).await;
    let page = p.get(&t, "/admin/withdrawals").await.text();
    assert!(page.contains(&format!("id=\"w-{id}\"")));
    assert!(page.contains("1–1 of 1") && !page.contains("id=\"next-page\""), "one page");
    let path = format!("/admin/withdrawals/{id}/approve");
    let bad = p.post(&t, &path, &[("key", "k1"), ("amount", "301")]).await;
    assert_eq!(bad.status_code(), 422);
    assert!(bad.text().contains("id=\"amount-error\""));
    let (a, b) = tokio::join!(
        p.post(&t, &path, &[("key", "k2"), ("amount", "")]),
        p.post(&t, &path, &[("key", "k2"), ("amount", "")])
    );
    for r in [&a, &b] {
        assert_eq!(
            (r.status_code().as_u16(), location(r).as_str()),
            (303, "/admin/withdrawals?done=approved")
        );
    }
    let bal = crate::helpers::money::balance(&t, &api_admin, w).await;
    assert_eq!(bal["balance"], "700", "posted once");
    let approved = p.get(&t, "/admin/withdrawals?status=approved").await.text();
    assert!(approved.contains("700"), "the queue shows the wallet's new balance");
}

#[tokio::test]
async fn a_customers_360_page_shows_profile_wallets_and_comments_within_scope() {
    let t = TestApp::spawn().await;
    let admin = t.user(Role::Admin).create().await;
    let c = t
        .customer()
        .name("Cara", "Client")
        .admin(&admin.token)
        .with_wallet("USD", 500)
        .create()
        .await;
    let p = login(&t, &admin.email, PASSWORD).await;
    let list = p.get(&t, "/admin/customers?q=cara").await.text();
    assert!(list.contains(&format!("/admin/customers/{}", c.uuid)), "{list}");
    let page = p.get(&t, &format!("/admin/customers/{}", c.uuid)).await;
    page.assert_status_ok();
    let html = page.text();
    assert!(html.contains(&c.email));
    assert!(html.contains(">500<"), "the wallet's balance: {html}");
    let r = p.post(&t, &format!("/admin/customers/{}/comment", c.uuid), &[("comment", "")]).await;
    assert_eq!(r.status_code(), 422);
    assert!(r.text().contains("id=\"comment-error\""));
    let r =
        p.post(&t, &format!("/admin/customers/{}/comment", c.uuid), &[("comment", "VIP")]).await;
    assert_eq!(r.status_code(), 303);
    assert!(p.get(&t, &format!("/admin/customers/{}", c.uuid)).await.text().contains("VIP"));
    // An agent without the customer in scope gets the not-found page, like the API's 404.
    let agent = t.user(Role::ConversionAgent).create().await;
    let a = login(&t, &agent.email, PASSWORD).await;
    assert_eq!(a.get(&t, &format!("/admin/customers/{}", c.uuid)).await.status_code(), 404);
}

#[tokio::test]
async fn a_full_leads_page_stays_under_200_kb_and_renders_fast() {
    let t = TestApp::spawn().await;
    let admin = t.user(Role::Admin).create().await;
    for i in 0..60 {
        let (s, b) = post(
            &t,
            &admin.token,
            "/api/leads",
            json!({"name": format!("Lead Number{i} Somebody-Longname"), "email": format!("lead{i}@example.com"),
                   "mobilenumber": format!("+3579900{i:04}"), "source": "google-ads"}),
        )
        .await;
        assert_eq!(s, 201, "{b}");
    }
    let p = login(&t, &admin.email, PASSWORD).await;
    let mut times = Vec::new();
    let mut size = 0;
    for _ in 0..20 {
        let start = std::time::Instant::now();
        let r = p.get(&t, "/admin/leads?source=google-ads&q=lead").await;
        times.push(start.elapsed());
        r.assert_status_ok();
        let html = r.text();
        assert_eq!(html.matches("class=\"lead-link\"").count(), 50, "a full page");
        size = html.len();
    }
    times.sort();
    eprintln!(
        "leads page: {size} bytes, median {:?}, max {:?} (debug build, 60 leads)",
        times[10], times[19]
    );
    assert!(size < 200 * 1024, "HTML of a list page under 200 kB: {size}");
}

#[tokio::test]
async fn a_distributed_leads_page_shows_why_it_went_there() {
    let t = TestApp::spawn().await;
    let (aff, _, _) = crate::helpers::distribution::simple(&t).await;
    let (_, lead) = crate::helpers::distribution::push_accepted(
        &t,
        &aff,
        &crate::helpers::distribution::seed_body(),
    )
    .await;
    let crm =
        brokercrm_store::repo::distribution::crm_leads::find_by_lead(t.app.db().conn(), lead.id)
            .await
            .unwrap()
            .unwrap();
    let admin = t.user(Role::Admin).create().await;
    let p = login(&t, &admin.email, PASSWORD).await;
    let html = p.get(&t, &format!("/admin/leads/{}", crm.uuid)).await.text();
    let trace = &html[html.find("id=\"trace\"").expect("a routing trace")..];
    assert!(trace.contains("House CRM") && trace.contains(">accepted<"), "{trace}");
    // An agent may work the lead but not read distribution: no trace.
    let support = t.user(Role::Support).create().await;
    let s = login(&t, &support.email, PASSWORD).await;
    let html = s.get(&t, &format!("/admin/leads/{}", crm.uuid)).await.text();
    assert!(!html.contains("id=\"trace\""));
}
