//! The transactions screen: the ledger's movements filtered from the URL, a bad filter named
//! beside its field, the same filters exported as XLSX, and only for ReadTransactions.

use brokercrm_core::identity::auth::Role;
use serde_json::json;

use crate::helpers::TestApp;
use crate::helpers::money::{funded, manual_ok};
use crate::helpers::users::PASSWORD;
use crate::helpers::web::login;

#[tokio::test]
async fn transactions_filter_page_and_export_from_the_url() {
    let t = TestApp::spawn().await;
    let (admin, _, customer, wallet) = funded(&t, 100).await;
    manual_ok(
        &t,
        &admin,
        wallet,
        json!({"type": "WITHDRAWAL", "amount": "7.25", "comment": "fee"}),
    )
    .await;
    let staff = t.user(Role::Admin).create().await;
    let p = login(&t, &staff.email, PASSWORD).await;

    let all = p.get(&t, "/admin/transactions").await;
    assert_eq!(all.status_code(), 200);
    let all = all.text();
    assert!(all.contains(">DEPOSIT<") && all.contains(">WITHDRAWAL<"), "{all}");

    let only =
        p.get(&t, &format!("/admin/transactions?type=WITHDRAWAL&wallet={wallet}")).await.text();
    assert!(only.contains("-7.25") && !only.contains(">DEPOSIT<"), "{only}");
    assert!(only.contains("value=\"WITHDRAWAL\" selected"), "the filter stays in the form");
    assert!(
        only.contains(&format!("/admin/transactions/export?type=WITHDRAWAL&#38;wallet={wallet}")),
        "{only}"
    );

    let r = p.get(&t, "/admin/transactions?from=yesterday&wallet=-3").await;
    assert_eq!(r.status_code(), 422, "{}", r.text());
    let html = r.text();
    assert!(
        html.contains("id=\"tx-filters-from-error\"")
            && html.contains("id=\"tx-filters-wallet-error\"")
    );
    let r = p.get(&t, "/admin/transactions?from=2026-02-01&to=2026-01-01").await;
    assert_eq!(r.status_code(), 422);
    assert!(r.text().contains("id=\"tx-filters-to-error\""));

    let x = p.get(&t, &format!("/admin/transactions/export?type=WITHDRAWAL&wallet={wallet}")).await;
    assert_eq!(x.status_code(), 200);
    let ct = x.headers().get("content-type").unwrap().to_str().unwrap().to_owned();
    assert!(ct.contains("spreadsheetml"), "{ct}");
    assert!(x.as_bytes().starts_with(b"PK"), "an XLSX (zip) file");

    // The customer's 360° page lists them too, linked to the full list.
    let c360 = p.get(&t, &format!("/admin/customers/{customer}")).await.text();
    assert!(c360.contains("id=\"customer-transactions\"") && c360.contains("-7.25 USD"), "{c360}");

    let agent = t.user(Role::RetentionAgent).create().await;
    let a = login(&t, &agent.email, PASSWORD).await;
    assert_eq!(a.get(&t, "/admin/transactions").await.status_code(), 403);
    assert_eq!(a.get(&t, "/admin/transactions/export").await.status_code(), 403);
}

#[tokio::test]
async fn wallets_list_with_balances_filters_and_pages() {
    let t = TestApp::spawn().await;
    let (_, _, _, wallet) = funded(&t, 100).await;
    let staff = t.user(Role::Support).create().await;
    let p = login(&t, &staff.email, PASSWORD).await;
    let html = p.get(&t, "/admin/wallets").await.text();
    assert!(
        html.contains(&format!("<td>{wallet}</td>")) && html.contains("<td>100</td>"),
        "{html}"
    );
    let html = p.get(&t, "/admin/wallets?demo=true").await.text();
    assert!(!html.contains(&format!("<td>{wallet}</td>")), "a real wallet is not in the demo book");
    let r = p.get(&t, "/admin/wallets?currency=dollars").await;
    assert_eq!(r.status_code(), 422);
    assert!(r.text().contains("id=\"wallet-filters-currency-error\""));
}

#[tokio::test]
async fn a_bonus_rule_made_in_the_portal_grants_on_the_next_deposit() {
    let t = TestApp::spawn().await;
    let (admin, _, _, wallet) = funded(&t, 100).await;
    let staff = t.user(Role::Admin).create().await;
    let p = login(&t, &staff.email, PASSWORD).await;
    let rule = [
        ("id", "welcome"),
        ("type", "DEPOSIT"),
        ("amount", "5"),
        ("start", "2020-01-01"),
        ("end", "2099-12-31"),
        ("min_deposit", "ten"),
    ];
    let r = p.post(&t, "/admin/bonuses", &rule).await;
    assert_eq!(r.status_code(), 422);
    assert!(r.text().contains("id=\"bonus-form-min_deposit-error\""), "{}", r.text());
    assert!(!p.get(&t, "/admin/bonuses").await.text().contains(">welcome<"), "nothing created");

    let mut ok = rule.to_vec();
    ok[5] = ("min_deposit", "10");
    assert_eq!(p.post(&t, "/admin/bonuses", &ok).await.status_code(), 303);
    manual_ok(&t, &admin, wallet, json!({"type": "DEPOSIT", "amount": "50"})).await;
    let html =
        p.get(&t, &format!("/admin/transactions?type=DEPOSIT_BONUS&wallet={wallet}")).await.text();
    assert!(html.contains("<td>5</td>"), "the bonus was granted: {html}");

    let r = p
        .post(
            &t,
            "/admin/bonuses/welcome",
            &[("type", "DEPOSIT"), ("amount", "0"), ("start", "2020-01-01"), ("end", "2099-12-31")],
        )
        .await;
    assert_eq!(r.status_code(), 422);
    assert!(r.text().contains("id=\"bonus-form-amount-error\""));
    assert_eq!(p.post(&t, "/admin/bonuses/welcome/delete", &[]).await.status_code(), 303);
    assert_eq!(p.get(&t, "/admin/bonuses/welcome").await.status_code(), 404);
}

#[tokio::test]
async fn a_payment_provider_is_configured_in_the_portal_without_revealing_its_secret() {
    let t = TestApp::spawn().await;
    let staff = t.user(Role::Admin).create().await;
    let p = login(&t, &staff.email, PASSWORD).await;
    assert!(
        p.get(&t, "/admin/payment-providers")
            .await
            .text()
            .contains("/admin/payment-providers/test")
    );
    let form = [
        ("key-signingSecret", "a-long-signing-secret-77"),
        ("min_deposit", "ten"),
        ("countries", "DE, FR"),
        ("sort", "0"),
        ("enabled", "1"),
    ];
    let r = p.post(&t, "/admin/payment-providers/test", &form).await;
    assert_eq!(r.status_code(), 422);
    assert!(r.text().contains("id=\"provider-form-min_deposit-error\""), "{}", r.text());
    let mut ok = form.to_vec();
    ok[1] = ("min_deposit", "10");
    assert_eq!(p.post(&t, "/admin/payment-providers/test", &ok).await.status_code(), 303);

    let (s, v) = crate::helpers::http::get(&t, &staff.token, "/api/payment-providers/test").await;
    assert_eq!(s, 200, "{v}");
    let text = v.to_string();
    assert!(
        text.contains("\"minimumDepositAmount\":\"10\"")
            || text.contains("\"minimumDepositAmount\":10"),
        "{text}"
    );
    assert!(!text.contains("a-long-signing-secret-77"));
    let page = p.get(&t, "/admin/payment-providers/test").await.text();
    assert!(!page.contains("a-long-signing-secret-77"), "the secret is shown masked");

    let risk = t.user(Role::Risk).create().await;
    let r = login(&t, &risk.email, PASSWORD).await;
    assert_eq!(r.get(&t, "/admin/payment-providers/test").await.status_code(), 200);
    assert_eq!(r.post(&t, "/admin/payment-providers/test", &ok).await.status_code(), 403);
}
