//! The KYC review screens: customers by KYC status, a customer's KYC page with the SumSub
//! state and documents (opened only through a single-use file token), and the reviewer's
//! decisions, which move the status (and only for ReviewKyc).

use axum_test::multipart::{MultipartForm, Part};
use brokercrm_core::identity::auth::Role;
use brokercrm_store::repo::onboarding::kyc::{ApplicantRow, save_applicant};
use serde_json::Value;

use crate::helpers::TestApp;
use crate::helpers::http::get;
use crate::helpers::users::PASSWORD;
use crate::helpers::web::{location, login};

fn pdf() -> Vec<u8> {
    let mut v = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n".to_vec();
    v.extend_from_slice(&[b'k'; 300]);
    v
}

/// Uploads a PDF as the customer; its document id.
pub async fn upload(t: &TestApp, token: &str, name: &str) -> String {
    let f = MultipartForm::new()
        .add_part("file", Part::bytes(pdf()).file_name(name).mime_type("application/pdf"));
    let r = t.server.post("/api/me/documents").authorization_bearer(token).multipart(f).await;
    assert_eq!(r.status_code(), 201, "{}", r.text());
    r.json::<Value>()["document"]["id"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn a_reviewer_filters_opens_a_document_and_approves() {
    let t = TestApp::spawn().await;
    let admin = t.user(Role::Admin).create().await;
    let (c, fresh) = (t.customer().create().await, t.customer().create().await);
    let doc = upload(&t, &c.token, "passport.pdf").await;
    let p = login(&t, &admin.email, PASSWORD).await;

    // The queue shows pending customers by default; any status on request; a bad one is named.
    let html = p.get(&t, "/admin/kyc").await.text();
    assert!(html.contains(&c.email) && !html.contains(&fresh.email), "{html}");
    assert!(html.contains(&format!("href=\"/admin/kyc/{}\"", c.uuid)), "{html}");
    let html = p.get(&t, "/admin/kyc?status=any").await.text();
    assert!(html.contains(&c.email) && html.contains(&fresh.email), "{html}");
    let r = p.get(&t, "/admin/kyc?status=maybe").await;
    assert_eq!(r.status_code(), 422);
    assert!(r.text().contains("id=\"kyc-filters-status-error\""), "{}", r.text());

    // The KYC page: status, documents, no SumSub yet; then the SumSub state once recorded.
    let path = format!("/admin/kyc/{}", c.uuid);
    let html = p.get(&t, &path).await.text();
    assert!(html.contains("id=\"kyc-status\">PENDING<"), "{html}");
    assert!(html.contains("passport.pdf") && html.contains(&format!("id=\"doc-{doc}\"")), "{html}");
    assert!(html.contains("not started verification with SumSub"), "{html}");
    let row = ApplicantRow {
        user_id: c.id,
        applicant_id: Some("65f0applicant".into()),
        last_event_at: None,
        review_answer: Some("RED".into()),
        reject_type: Some("RETRY".into()),
        updated_at: chrono::Utc::now(),
    };
    save_applicant(t.app.db().conn(), row).await.unwrap();
    let html = p.get(&t, &path).await.text();
    assert!(html.contains("65f0applicant") && html.contains("RED (RETRY)"), "{html}");
    // The 360° page links here.
    let html = p.get(&t, &format!("/admin/customers/{}", c.uuid)).await.text();
    assert!(html.contains(&format!("href=\"{path}\" id=\"kyc-link\"")), "{html}");

    // A document opens through a single-use token: the bytes once, then 404.
    let r = p.post(&t, &format!("{path}/documents/{doc}"), &[]).await;
    assert_eq!(r.status_code(), 303);
    let to = location(&r);
    assert!(to.starts_with("/api/files/"), "{to}");
    let file = t.server.get(&to).await;
    assert_eq!(file.status_code(), 200);
    assert_eq!(file.as_bytes().to_vec(), pdf());
    assert_eq!(t.server.get(&to).await.status_code(), 404, "single use");
    // Another customer's document is not handed out through this customer's page.
    let other = upload(&t, &fresh.token, "other.pdf").await;
    let r = p.post(&t, &format!("{path}/documents/{other}"), &[]).await;
    assert_eq!(r.status_code(), 404);

    // Approve: the status moves (the API agrees), and the page says who decided.
    let r = p.post(&t, &format!("{path}/approve"), &[]).await;
    assert_eq!(
        (r.status_code().as_u16(), location(&r)),
        (303, format!("{path}?done=kyc-approved"))
    );
    let (s, b) = get(&t, &admin.token, &format!("/api/customers/{}", c.uuid)).await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["kycStatus"], "APPROVED", "{b}");
    let html = p.get(&t, &format!("{path}?done=kyc-approved")).await.text();
    assert!(html.contains("KYC approved.") && html.contains("id=\"kyc-revoke\""), "{html}");
    assert!(!html.contains("id=\"kyc-approve\""), "approving twice is not offered");
    // Approving again is refused by the use case, and nothing changes.
    assert_eq!(p.post(&t, &format!("{path}/approve"), &[]).await.status_code(), 400);
    let r = p.post(&t, &format!("{path}/reset"), &[]).await;
    assert_eq!(r.status_code(), 303);
    assert!(p.get(&t, &path).await.text().contains("id=\"kyc-status\">NONE<"));
}

#[tokio::test]
async fn staff_without_review_kyc_see_but_cannot_decide() {
    let t = TestApp::spawn().await;
    let support = t.user(Role::Support).create().await;
    let c = t.customer().create().await;
    upload(&t, &c.token, "id.pdf").await;
    let p = login(&t, &support.email, PASSWORD).await;
    let path = format!("/admin/kyc/{}", c.uuid);
    let html = p.get(&t, &path).await.text();
    assert!(html.contains("id.pdf") && !html.contains("id=\"decisions\""), "{html}");
    assert_eq!(p.post(&t, &format!("{path}/approve"), &[]).await.status_code(), 403);
    assert!(p.get(&t, &path).await.text().contains("id=\"kyc-status\">PENDING<"));
    assert_eq!(p.get(&t, "/admin/kyc/no-such-customer").await.status_code(), 404);
}

/// The customer's KYC status as the API shows it.
async fn kyc_status(t: &TestApp, token: &str, uuid: &str) -> Value {
    get(t, token, &format!("/api/customers/{uuid}")).await.1["kycStatus"].clone()
}

#[tokio::test]
async fn a_reviewer_rejects_with_a_reason_or_asks_for_a_new_attempt() {
    let t = TestApp::spawn().await;
    let admin = t.user(Role::Admin).create().await;
    let body = serde_json::json!({"enabled": true, "title": "Retry", "subject": "Please try again",
        "mjml": "", "txt": "Why: {{ reason }}", "trigger": "kyc.retry", "conditions": {}});
    let (s, b) = crate::helpers::http::post(&t, &admin.token, "/api/emails", body).await;
    assert_eq!(s, 201, "{b}");
    let c = t.customer().create().await;
    upload(&t, &c.token, "passport.pdf").await;
    let p = login(&t, &admin.email, PASSWORD).await;
    let path = format!("/admin/kyc/{}", c.uuid);
    assert!(p.get(&t, &path).await.text().contains("id=\"reject-form\""));
    // No reason: shown beside the field, nothing changes.
    let r = p.post(&t, &format!("{path}/reject"), &[("reason", "  "), ("outcome", "retry")]).await;
    assert_eq!(r.status_code(), 422);
    let html = r.text();
    assert!(html.contains("id=\"reason-error\"") && html.contains("is required"), "{html}");
    assert_eq!(kyc_status(&t, &admin.token, &c.uuid).await, "PENDING");
    // Asking for a new attempt: RETRY, the kyc.retry e-mail goes out.
    let form = [("reason", "The photo is blurred"), ("outcome", "retry")];
    let r = p.post(&t, &format!("{path}/reject"), &form).await;
    assert_eq!((r.status_code().as_u16(), location(&r)), (303, format!("{path}?done=kyc-retry")));
    assert_eq!(kyc_status(&t, &admin.token, &c.uuid).await, "RETRY");
    t.run_jobs().await;
    let mail = t.emails.last().expect("the kyc.retry e-mail");
    assert_eq!(
        (mail.subject.as_str(), mail.text.as_str()),
        ("Please try again", "Why: The photo is blurred")
    );
    // Rejecting for good; then neither is offered any more (reset first).
    let form = [("reason", "Document forged"), ("outcome", "reject")];
    let r = p.post(&t, &format!("{path}/reject"), &form).await;
    assert_eq!(r.status_code(), 303);
    assert_eq!(kyc_status(&t, &admin.token, &c.uuid).await, "REJECTED");
    let html = p.get(&t, &path).await.text();
    assert!(!html.contains("id=\"reject-form\"") && html.contains("id=\"kyc-reset\""), "{html}");
    assert_eq!(p.post(&t, &format!("{path}/reject"), &form).await.status_code(), 400);
    // Without ReviewKyc: 403, nothing changes.
    let support = t.user(Role::Support).create().await;
    let s = login(&t, &support.email, PASSWORD).await;
    assert_eq!(s.post(&t, &format!("{path}/reject"), &form).await.status_code(), 403);
    assert_eq!(kyc_status(&t, &admin.token, &c.uuid).await, "REJECTED");
}
