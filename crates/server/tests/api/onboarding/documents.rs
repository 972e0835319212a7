//! The client's own documents: type by content (a PDF renamed `.png`, an HTML page), size,
//! KYC moving to PENDING, and file tokens — short-lived, single use, only for the owner and
//! staff who may work the customer.

use std::time::Duration;

use axum_test::multipart::{MultipartForm, Part};
use brokercrm_core::identity::auth::Role;
use serde_json::{Value, json};

use crate::helpers::TestApp;
use crate::helpers::assert::field_of;
use crate::helpers::http::{get, post_empty};

fn form(bytes: Vec<u8>, name: &str, declared: &str) -> MultipartForm {
    MultipartForm::new().add_part("file", Part::bytes(bytes).file_name(name).mime_type(declared))
}

async fn upload(t: &TestApp, token: &str, f: MultipartForm) -> (u16, Value) {
    let r = t.server.post("/api/me/documents").authorization_bearer(token).multipart(f).await;
    (r.status_code().as_u16(), r.json())
}

fn pdf() -> Vec<u8> {
    let mut v = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n".to_vec();
    v.extend_from_slice(&[b'x'; 500]);
    v
}

#[tokio::test]
async fn uploads_are_typed_by_content_and_start_kyc() {
    let t = TestApp::spawn().await;
    let admin = t.admin_token().await;
    let c = t.customer().create().await;
    // A PDF named .png and declared image/png is stored as the PDF it is.
    let (s, b) = upload(&t, &c.token, form(pdf(), "passport.png", "image/png")).await;
    assert_eq!(s, 201, "{b}");
    assert_eq!(b["success"], true);
    assert_eq!(b["document"]["contentType"], "application/pdf");
    assert_eq!(b["document"]["filename"], "passport.pdf");
    assert_eq!(b["document"]["size"], pdf().len());
    // An HTML page (whatever its name) and a script are refused naming the field.
    let html = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>".to_vec();
    let (s, b) = upload(&t, &c.token, form(html, "id.pdf", "application/pdf")).await;
    assert_eq!((s, field_of(&b)), (422, "file".into()), "{b}");
    let (s, b) =
        upload(&t, &c.token, form(b"#!/bin/sh\nrm -rf /".to_vec(), "a.jpg", "image/jpeg")).await;
    assert_eq!((s, field_of(&b)), (422, "file".into()), "{b}");
    let mut big = pdf();
    big.resize(10 * 1024 * 1024 + 1, b'a');
    let (s, b) = upload(&t, &c.token, form(big, "big.pdf", "application/pdf")).await;
    assert_eq!((s, field_of(&b)), (422, "file".into()), "{b}");
    // KYC started with the first document; both KYC status routes agree.
    for p in ["/api/me/kyc", "/api/me/documents/kyc-status"] {
        let (s, b) = get(&t, &c.token, p).await;
        assert_eq!((s, b), (200, json!({"status": "PENDING"})), "{p}");
    }
    // Staff see exactly the one stored document.
    let (s, docs) = get(&t, &admin, &format!("/api/customers/{}/documents", c.uuid)).await;
    assert_eq!(s, 200, "{docs}");
    assert_eq!(docs.as_array().unwrap().len(), 1, "{docs}");
    // Staff do not upload "their own" documents.
    let (s, _) = upload(&t, &admin, form(pdf(), "p.pdf", "application/pdf")).await;
    assert_eq!(s, 403);
}

#[tokio::test]
async fn file_tokens_are_short_lived_single_use_and_scoped() {
    let t = TestApp::spawn().await;
    let c = t.customer().create().await;
    let (s, b) = upload(&t, &c.token, form(pdf(), "passport.pdf", "application/pdf")).await;
    assert_eq!(s, 201, "{b}");
    let doc = b["document"]["id"].as_str().unwrap().to_owned();
    let issue = |token: String| {
        let (t, doc) = (&t, doc.clone());
        async move { post_empty(t, &token, &format!("/api/documents/{doc}/file-tokens")).await }
    };

    let (s, b) = issue(c.token.clone()).await;
    assert_eq!(s, 201, "{b}");
    assert_eq!(b["expiresIn"], 60);
    let url = b["url"].as_str().unwrap().to_owned();
    let r = t.server.get(&url).await;
    assert_eq!(r.status_code().as_u16(), 200);
    assert_eq!(r.as_bytes().to_vec(), pdf());
    assert_eq!(r.header("content-type"), "application/pdf");
    assert!(r.header("content-disposition").to_str().unwrap().starts_with("attachment"));
    assert_eq!(r.header("x-content-type-options"), "nosniff");
    // Single use.
    assert_eq!(t.server.get(&url).await.status_code().as_u16(), 404);
    // Expired after a minute, unused.
    let (_, b) = issue(c.token.clone()).await;
    t.clock.advance(Duration::from_secs(61));
    assert_eq!(t.server.get(b["url"].as_str().unwrap()).await.status_code().as_u16(), 404);
    assert_eq!(t.server.get("/api/files/not-a-token").await.status_code().as_u16(), 404);

    // Another customer and out-of-scope staff cannot have one; staff in scope can.
    let other = t.customer().create().await;
    assert_eq!(issue(other.token.clone()).await.0, 404);
    let agent = t.user(Role::ConversionAgent).create().await;
    assert_eq!(issue(agent.token.clone()).await.0, 404);
    let affiliate = t.user(Role::Affiliate).create().await;
    assert_eq!(issue(affiliate.token.clone()).await.0, 404);
    let admin = t.admin_token().await;
    let (s, b) = issue(admin).await;
    assert_eq!(s, 201, "{b}");
    assert_eq!(t.server.get(b["url"].as_str().unwrap()).await.status_code().as_u16(), 200);
}
