//! The market-data screens in-process: an application created through its form shows its key
//! once (and the key works), a rotation replaces it, refused forms show each error beside its
//! field with the input kept, feeds are created and edited, the accounts list searches by
//! e-mail and pages with its filters in the URL, an account's page shows its subscriptions and
//! history; read-only roles see the pages but cannot change anything.

use brokercrm_core::identity::auth::Role;
use serde_json::json;

use crate::helpers::TestApp;
use crate::helpers::market_data::{account, application, call, complete_wizard, feed};
use crate::helpers::users::PASSWORD;
use crate::helpers::web::{location, login};

/// The text of the element with `id` (up to its closing tag).
fn by_id<'a>(html: &'a str, id: &str) -> &'a str {
    let at = html.find(&format!("id=\"{id}\"")).unwrap_or_else(|| panic!("#{id} missing: {html}"));
    let start = html[at..].find('>').unwrap() + at + 1;
    let end = html[start..].find('<').unwrap() + start;
    &html[start..end]
}

#[tokio::test]
async fn an_application_is_created_with_its_key_shown_once_and_the_key_is_rotated() {
    let t = TestApp::spawn().await;
    let admin = t.user(Role::Admin).create().await;
    let p = login(&t, &admin.email, PASSWORD).await;
    let new = p.get(&t, "/admin/market-data/applications/new").await;
    new.assert_status_ok();
    assert!(new.text().contains("id=\"credentials_enabled\" name=\"credentials_enabled\" type=\"checkbox\" value=\"1\" checked"));

    // A bad redirect URL and an empty name: both beside their fields, the input kept.
    let bad = p
        .post(
            &t,
            "/admin/market-data/applications",
            &[
                ("name", ""),
                ("cancel_mode", "END_OF_MONTH"),
                ("allowed_statuses", "ALL"),
                ("success_redirect_url", "javascript:alert(1)"),
            ],
        )
        .await;
    assert_eq!(bad.status_code(), 422);
    let html = bad.text();
    assert!(
        html.contains("id=\"name-error\"") && html.contains("id=\"success_redirect_url-error\""),
        "{html}"
    );
    assert!(html.contains("value=\"javascript:alert(1)\""), "typed value kept");
    assert!(html.contains("<option value=\"END_OF_MONTH\" selected>"), "choice kept");
    let (_, listed) =
        crate::helpers::http::get(&t, &admin.token, "/api/market-data-entitlements/applications")
            .await;
    assert_eq!(listed.as_array().map(Vec::len), Some(0), "nothing stored: {listed}");

    // Created: the key is on the answer (not cached), and it works.
    let ok = p
        .post(
            &t,
            "/admin/market-data/applications",
            &[
                ("name", "Broker app"),
                ("credentials_enabled", "1"),
                ("cancel_mode", "IMMEDIATE"),
                ("allowed_statuses", "NON_PROFESSIONAL"),
                ("success_redirect_url", "https://broker.example/done"),
            ],
        )
        .await;
    assert_eq!(ok.status_code(), 200, "{}", ok.text());
    assert_eq!(ok.headers().get("cache-control").unwrap(), "no-store");
    let html = ok.text();
    let key = by_id(&html, "api-key").to_owned();
    assert!(key.starts_with("bmd_"), "{key}");
    let (s, b) =
        call(&t, &key, "POST", "/api/v1/accounts", Some(json!({"email": "k@example.com"}))).await;
    assert_eq!(s, 200, "{b}");
    let app_path = html
        .split("href=\"")
        .find_map(|p| {
            p.strip_prefix("/admin/market-data/applications/")
                .map(|r| r.split('"').next().unwrap().to_owned())
        })
        .map(|id| format!("/admin/market-data/applications/{id}"))
        .unwrap();

    // The application's page shows the rules, never the key.
    let page = p.get(&t, &app_path).await.text();
    assert!(!page.contains(&key));
    assert!(page.contains("<option value=\"NON_PROFESSIONAL\" selected>"));
    assert!(page.contains("value=\"https://broker.example/done\""));
    // Rules saved: credentials off, confirmation on.
    let r = p
        .post(
            &t,
            &app_path,
            &[
                ("name", "Broker app"),
                ("confirmation_required", "1"),
                ("cancel_mode", "END_OF_MONTH"),
                ("allowed_statuses", "ALL"),
                ("success_redirect_url", ""),
            ],
        )
        .await;
    assert_eq!((r.status_code().as_u16(), location(&r)), (303, format!("{app_path}?done=saved")));
    let (_, apps) =
        crate::helpers::http::get(&t, &admin.token, "/api/market-data-entitlements/applications")
            .await;
    let a = &apps[0];
    assert_eq!(
        (
            &a["credentialsEnabled"],
            &a["confirmationRequired"],
            &a["cancelMode"],
            &a["successRedirectUrl"]
        ),
        (&json!(false), &json!(true), &json!("END_OF_MONTH"), &json!(null)),
        "{a}"
    );

    // Rotation: a new key, shown once; the old one is refused at once.
    let r = p.post(&t, &format!("{app_path}/rotate"), &[]).await;
    assert_eq!(r.status_code(), 200, "{}", r.text());
    let fresh = by_id(&r.text(), "api-key").to_owned();
    assert_ne!(fresh, key);
    let (s, _) = call(&t, &key, "GET", "/api/v1/accounts/by-email/k@example.com", None).await;
    assert_eq!(s, 401);
    let (s, b) = call(&t, &fresh, "GET", "/api/v1/accounts/by-email/k@example.com", None).await;
    assert_eq!(s, 200, "{b}");
    // Without the CSRF token nothing happens.
    let r = p.post_raw(&t, &format!("{app_path}/rotate"), &[]).await;
    assert_eq!(r.status_code(), 403);
    let (s, _) = call(&t, &fresh, "GET", "/api/v1/accounts/by-email/k@example.com", None).await;
    assert_eq!(s, 200);
}

#[tokio::test]
async fn feeds_are_created_and_edited_with_errors_beside_their_fields() {
    let t = TestApp::spawn().await;
    let admin = t.user(Role::Admin).create().await;
    let p = login(&t, &admin.email, PASSWORD).await;
    let fields = |days: &'static str, filters: &'static str| {
        vec![
            ("name", "cme-l1"),
            ("qd_filters", filters),
            ("needs_confirmation", "1"),
            ("allowed_statuses", "PROFESSIONAL"),
            ("default_days", days),
            ("agreement_title", "CME agreement"),
            ("agreement_text", "You agree."),
            ("agreement_version", "2"),
        ]
    };
    let r = p.post(&t, "/admin/market-data/feeds", &fields("ten", "CME\nCBOT")).await;
    assert_eq!(r.status_code(), 422);
    let html = r.text();
    assert!(html.contains("id=\"default_days-error\""), "{html}");
    assert!(
        html.contains("value=\"ten\"") && html.contains(">CME\nCBOT</textarea>"),
        "kept: {html}"
    );
    let r = p.post(&t, "/admin/market-data/feeds", &fields("0", "  ")).await;
    assert_eq!(r.status_code(), 422);
    let html = r.text();
    assert!(
        html.contains("id=\"default_days-error\"") && html.contains("id=\"qd_filters-error\""),
        "{html}"
    );
    let r = p.post(&t, "/admin/market-data/feeds", &fields("30", "CME\n\nCBOT ")).await;
    assert_eq!(r.status_code(), 303, "{}", r.text());
    let feed_path = location(&r).split('?').next().unwrap().to_owned();
    let page = p.get(&t, &location(&r)).await.text();
    assert!(page.contains("id=\"notice\"") && page.contains("value=\"CME-L1\""), "{page}");
    let (_, feeds) =
        crate::helpers::http::get(&t, &admin.token, "/api/market-data-entitlements/feeds").await;
    let f = &feeds[0];
    assert_eq!(f["qdFilters"], json!(["CME", "CBOT"]), "{f}");
    assert_eq!(
        (&f["defaultDays"], &f["needsConfirmation"], &f["singleUse"]),
        (&json!(30), &json!(true), &json!(false))
    );
    // A second feed of the same name (any case): beside the name.
    let r = p.post(&t, "/admin/market-data/feeds", &fields("30", "X")).await;
    assert_eq!(r.status_code(), 422);
    assert!(r.text().contains("id=\"name-error\""));
    // Edited: single use, no default duration.
    let mut edit = fields("", "CME");
    edit.push(("single_use", "1"));
    let r = p.post(&t, &feed_path, &edit).await;
    assert_eq!((r.status_code().as_u16(), location(&r)), (303, format!("{feed_path}?done=saved")));
    let (_, feeds) =
        crate::helpers::http::get(&t, &admin.token, "/api/market-data-entitlements/feeds").await;
    assert_eq!((&feeds[0]["singleUse"], &feeds[0]["defaultDays"]), (&json!(true), &json!(null)));
    let list = p.get(&t, "/admin/market-data/feeds").await.text();
    assert!(list.contains(&format!("href=\"{feed_path}\"")), "{list}");
}

#[tokio::test]
async fn accounts_are_searched_paged_and_shown_with_subscriptions_and_history() {
    let t = TestApp::spawn().await;
    let api_admin = t.admin_token().await;
    let a = application(&t, &api_admin, json!({"name": "Alpha"})).await;
    let b = application(&t, &api_admin, json!({"name": "Beta"})).await;
    feed(&t, &api_admin, "CME", json!({})).await;
    for i in 0..52 {
        account(&t, &a.key, &format!("page{i:02}@example.com"), json!({})).await;
    }
    let star = account(&t, &b.key, "Star.Trader@Example.com", json!({})).await;
    let (s, sub) = call(
        &t,
        &b.key,
        "POST",
        &format!("/api/v1/accounts/{star}/subscriptions"),
        Some(json!({"subscriptions": ["CME"]})),
    )
    .await;
    assert_eq!(s, 200, "{sub}");
    let r =
        complete_wizard(&t, sub["signupPageByTheme"]["LIGHT"].as_str().unwrap(), "no", "10.9.9.9")
            .await;
    assert_eq!(r.status_code().as_u16(), 200);

    let support = t.user(Role::Support).create().await;
    let p = login(&t, &support.email, PASSWORD).await;
    let html = p.get(&t, "/admin/market-data/accounts").await.text();
    assert!(html.contains("1–50 of 53"), "{html}");
    let next = html
        .split("id=\"next-page\"")
        .next()
        .unwrap()
        .rsplit("href=\"")
        .next()
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .replace("&amp;", "&");
    assert_eq!(next, "/admin/market-data/accounts?offset=50");
    assert!(p.get(&t, &next).await.text().contains("51–53 of 53"));
    // Search by e-mail (any case), one application's; the filters stay in the paging links.
    let html = p
        .get(&t, &format!("/admin/market-data/accounts?q=PAGE0&application={}", a.id))
        .await
        .text();
    assert!(html.contains("1–10 of 10") && !html.contains("star.trader"), "{html}");
    assert!(html.contains("value=\"PAGE0\""), "the search is kept");
    let html = p.get(&t, "/admin/market-data/accounts?q=trader").await.text();
    assert!(
        html.contains("1–1 of 1")
            && html.contains("star.trader@example.com")
            && html.contains(">Beta<"),
        "{html}"
    );
    let html = p.get(&t, "/admin/market-data/accounts?q=100%25_").await.text();
    assert!(html.contains("0–0 of 0"), "% and _ are literal: {html}");
    let html = p.get(&t, "/admin/market-data/accounts?application=nope").await.text();
    assert!(html.contains("id=\"filter-error\""), "an unknown application is shown, not a crash");

    // The account's page.
    let page = p.get(&t, &format!("/admin/market-data/accounts/{star}")).await;
    page.assert_status_ok();
    let html = page.text();
    assert_eq!(by_id(&html, "md-email"), "star.trader@example.com");
    assert_eq!(by_id(&html, "md-status"), "NON_PROFESSIONAL");
    let subs = html.split("id=\"md-subscriptions\"").nth(1).unwrap();
    assert!(subs.contains("<td>CME</td><td>ACTIVE</td>"), "{subs}");
    let history = html.split("id=\"md-history\"").nth(1).unwrap();
    for kind in [
        "account.created",
        "order.created",
        "agreement.signed",
        "wizard.completed",
        "subscription.activated",
    ] {
        assert!(history.contains(kind), "{kind}: {history}");
    }
    assert!(html.contains("10.9.9.9"), "the agreement's IP");
    assert_eq!(
        p.get(&t, "/admin/market-data/accounts/0190f3c2-7f1e-7c4e-9a51-2b8f4a1d9e01")
            .await
            .status_code(),
        404
    );

    // Support reads but cannot change: the forms are disabled and a post is refused.
    let feeds = p.get(&t, "/admin/market-data/feeds").await.text();
    assert!(!feeds.contains("id=\"new-feed\""));
    assert_eq!(p.get(&t, "/admin/market-data/feeds/new").await.status_code(), 403);
    let app_page = p.get(&t, &format!("/admin/market-data/applications/{}", a.id)).await.text();
    assert!(app_page.contains("<fieldset disabled>") && !app_page.contains("id=\"rotate-key\""));
    let r = p.post(&t, &format!("/admin/market-data/applications/{}/rotate", a.id), &[]).await;
    assert_eq!(r.status_code(), 403);
    let (s, _) =
        call(&t, &a.key, "GET", "/api/v1/accounts/by-email/page00@example.com", None).await;
    assert_eq!(s, 200, "the key still works");
}
