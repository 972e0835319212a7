//! The affiliation report ("Export report to XLSX", `type=affiliation`): one line per
//! introducer with its direct clients' money in USD and its commissions; staff without
//! ReadReports or ReadCommissions get 403.

use brokercrm_core::identity::auth::Role;
use serde_json::json;

use crate::helpers::TestApp;
use crate::helpers::http::{download_token, xlsx_sheet};
use crate::helpers::money::manual_ok;
use crate::helpers::partners::{assign, make_ib, model};

#[tokio::test]
async fn the_affiliation_report_has_a_line_per_introducer() {
    let t = TestApp::spawn().await;
    let admin = t.admin_token().await;
    let cpa = model(&t, &admin, "CPA 100", json!([{"level": 1, "cpaAmount": 100}])).await;
    let a = t.customer().admin(&admin).with_wallet("USD", 0).create().await;
    make_ib(&t, &admin, &a.uuid, Some(cpa)).await;
    let b = t.customer().admin(&admin).create().await;
    make_ib(&t, &admin, &b.uuid, None).await;
    for deposit in [200, 0] {
        let client = t.customer().admin(&admin).with_wallet("USD", 0).create().await;
        assign(&t, &admin, &client.uuid, &a.uuid).await;
        if deposit > 0 {
            let w = client.wallets[0];
            manual_ok(&t, &admin, w, json!({"type": "DEPOSIT", "amount": deposit})).await;
            manual_ok(&t, &admin, w, json!({"type": "WITHDRAWAL", "amount": 50})).await;
        }
    }
    t.run_jobs().await;

    let dl = download_token(&t, &admin).await;
    let r = t.server.get(&format!("/api/reports/export?token={dl}&type=affiliation")).await;
    r.assert_status_ok();
    let xml = xlsx_sheet(&r);
    assert_eq!(xml.matches("<row ").count(), 3, "header + 2 introducers: {xml}");
    assert!(xml.contains(">Net deposits (USD)<"), "{xml}");
    let line_a = xml.split("<row ").find(|r| r.contains(&a.email)).expect("a's line");
    // 2 direct clients, 1 FTD, deposits 200, withdrawals 50, net 150, CPA 100 earned and payable.
    for cell in ["CPA 100", ">2<", ">1<", ">200<", ">50<", ">150<", ">100<"] {
        assert!(line_a.contains(cell), "{cell} in {line_a}");
    }
    let line_b = xml.split("<row ").find(|r| r.contains(&b.email)).expect("b's line");
    assert!(line_b.contains(">0<") && !line_b.contains(">200<"), "{line_b}");

    for role in [Role::Support, Role::Affiliate] {
        let token = t.mint_token(role).await.0;
        let dl = download_token(&t, &token).await;
        let r = t.server.get(&format!("/api/reports/export?token={dl}&type=affiliation")).await;
        assert_eq!(r.status_code().as_u16(), 403, "{role:?}");
    }
}
