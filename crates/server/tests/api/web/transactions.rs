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
    let (admin, _, _, wallet) = funded(&t, 100).await;
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

    let agent = t.user(Role::RetentionAgent).create().await;
    let a = login(&t, &agent.email, PASSWORD).await;
    assert_eq!(a.get(&t, "/admin/transactions").await.status_code(), 403);
    assert_eq!(a.get(&t, "/admin/transactions/export").await.status_code(), 403);
}
