//! "Export transactions to an XLSX file": the body is a valid workbook (a zip starting with
//! PK) whose sheet holds the header and one row per filtered transaction, read back from the
//! sheet XML; a one-time download token may come as `?token=`; staff permission required.

use std::io::Read;

use serde_json::{Value, json};

use crate::helpers::TestApp;
use crate::helpers::http::{download_token, sheet_xml};
use crate::helpers::money::{funded, manual};

#[tokio::test]
async fn transactions_export_as_a_readable_xlsx_workbook() {
    let t = TestApp::spawn().await;
    let (admin, cust, _, w) = funded(&t, 100).await;
    for i in 0..5 {
        let (s, _) = manual(
            &t,
            &admin,
            w,
            json!({"type": "BONUS", "amount": 1, "comment": format!("bonus-{i}")}),
        )
        .await;
        assert_eq!(s, 200);
    }
    let dl = download_token(&t, &admin).await;
    let r = t.server.get(&format!("/api/transactions/export?token={dl}&walletId={w}")).await;
    r.assert_status_ok();
    assert_eq!(
        r.header("content-type"),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    let disposition = r.header("content-disposition");
    let disposition = disposition.to_str().unwrap();
    assert!(disposition.starts_with("attachment; filename=\"transactions-"), "{disposition}");
    assert!(disposition.ends_with(".xlsx\""));
    let bytes = r.as_bytes().to_vec();
    assert_eq!(&bytes[..2], b"PK");
    let xml = sheet_xml(&bytes);
    for header in ["ID", "Date (UTC)", "Type", "Status", "Amount", "Wallet address", "Reviewer"] {
        assert!(xml.contains(&format!(">{header}<")), "header {header} missing");
    }
    assert_eq!(xml.matches("<row ").count(), 7, "header + 6 transactions");
    for i in 0..5 {
        assert!(xml.contains(&format!(">bonus-{i}<")));
    }
    assert!(xml.contains(">DEPOSIT<") && xml.contains(">100<"));

    // The type filter, and the Authorization header instead of ?token.
    let r = t
        .server
        .get(&format!("/api/transactions/export?type=DEPOSIT&walletId={w}"))
        .authorization_bearer(&admin)
        .await;
    r.assert_status_ok();
    let xml = sheet_xml(r.as_bytes());
    assert_eq!(xml.matches("<row ").count(), 2);
    assert!(!xml.contains(">BONUS<"));

    // No token → 401; a customer → 403; a bad filter → 422.
    assert_eq!(t.server.get("/api/transactions/export").await.status_code().as_u16(), 401);
    let dl = download_token(&t, &cust).await;
    let r = t.server.get(&format!("/api/transactions/export?token={dl}")).await;
    assert_eq!(r.status_code().as_u16(), 403);
    let dl = download_token(&t, &admin).await;
    let r = t.server.get(&format!("/api/transactions/export?token={dl}&type=GIFT")).await;
    assert_eq!(r.status_code().as_u16(), 422);
    let b: Value = r.json();
    assert_eq!(b["error"]["details"]["fields"][0]["field"], "type");
}

#[tokio::test]
async fn the_xlsx_module_writes_many_rows_in_chunks() {
    use brokercrm_app::platform::exports::{Cell, XlsxExport};
    let mut x = XlsxExport::new("Rows", &["n", "text"]).unwrap();
    for i in 0..5_000 {
        x.push(&[Cell::Int(i), Cell::Text(format!("row {i}"))]).unwrap();
    }
    assert_eq!(x.rows(), 5_000);
    assert!(x.push(&[Cell::Empty, Cell::Empty, Cell::Empty]).is_err(), "more cells than headers");
    let mut file = x.finish().await.unwrap();
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes).unwrap();
    let xml = sheet_xml(&bytes);
    assert_eq!(xml.matches("<row ").count(), 5_001);
    assert!(xml.contains(">row 4999<"));
}
