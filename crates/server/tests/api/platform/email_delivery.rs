//! E-mail delivery through the provider configured in Settings (no recording override):
//! SendGrid, Mailgun and Brevo against a mock API; a provider error leaves the job queued
//! for retry with the error recorded.

use brokercrm_app::platform::email::{SendEmail, queue};
use brokercrm_core::identity::auth::Role;
use brokercrm_store::jobs;
use serde_json::{Value, json};
use wiremock::matchers::{basic_auth, body_partial_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::helpers::TestApp;

async fn configure(t: &TestApp, provider: &str, body: Value) {
    let (admin, _) = t.mint_token(Role::Admin).await;
    let r = t
        .server
        .put(&format!("/api/settings/email/{provider}"))
        .authorization_bearer(&admin)
        .json(&body)
        .await;
    assert_eq!(r.status_code().as_u16(), 200, "{}", r.text());
}

async fn queue_one(t: &TestApp, to: &str) {
    let email = SendEmail {
        to: to.into(),
        subject: "Welcome".into(),
        text: "Hello there".into(),
        html: None,
    };
    queue(&t.app, t.app.db().conn(), email).await.unwrap();
}

/// Spawns an app without the recording override, configures `provider` against `mock`,
/// queues one e-mail and runs the jobs; returns the app and the job's final row.
async fn deliver(provider: &str, mut config: Value, mock: &MockServer) -> (TestApp, jobs::JobRow) {
    config["apiBase"] = json!(mock.uri());
    let t = TestApp::spawn_without_email_override().await;
    configure(&t, provider, config).await;
    queue_one(&t, "client@example.com").await;
    assert_eq!(t.run_jobs().await, 1);
    let job = last_job(&t).await;
    (t, job)
}

async fn last_job(t: &TestApp) -> jobs::JobRow {
    jobs::list_by_kind(t.app.db(), "email.send", 1).await.unwrap().into_iter().next().unwrap()
}

#[tokio::test]
async fn sendgrid_delivers_with_bearer_auth() {
    let mock = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v3/mail/send"))
        .and(header("authorization", "Bearer SG.delivery-key-0001"))
        .and(body_partial_json(
            json!({"personalizations": [{"to": [{"email": "client@example.com"}]}]}),
        ))
        .respond_with(ResponseTemplate::new(202))
        .expect(1)
        .mount(&mock)
        .await;
    let (t, job) = deliver(
        "sendgrid",
        json!({"sender": "Broker <noreply@broker.example>", "apiKey": "SG.delivery-key-0001",
               "staffEmail": "staff@broker.example"}),
        &mock,
    )
    .await;
    assert_eq!(job.status, jobs::DONE);
    assert!(t.emails.sent().is_empty(), "the recording override is not in use");
    mock.verify().await;
}

#[tokio::test]
async fn mailgun_delivers_with_basic_auth() {
    let mock = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v3/mg.broker.example/messages"))
        .and(basic_auth("api", "key-mailgun-0002"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"id": "<1@mg>", "message": "Queued"})),
        )
        .expect(1)
        .mount(&mock)
        .await;
    let (_t, job) = deliver(
        "mailgun",
        json!({"sender": "noreply@mg.broker.example", "apiKey": "key-mailgun-0002", "domain": "mg.broker.example",
               "username": "api", "staffEmail": "staff@broker.example"}),
        &mock,
    )
    .await;
    assert_eq!(job.status, jobs::DONE);
    let received = mock.received_requests().await.unwrap();
    let form = String::from_utf8_lossy(&received[0].body).into_owned();
    let pairs: Vec<&str> = form.split('&').collect();
    assert!(pairs.contains(&"to=client%40example.com"), "{form}");
    assert!(pairs.contains(&"subject=Welcome"), "{form}");
}

#[tokio::test]
async fn brevo_delivers_with_api_key_header() {
    let mock = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v3/smtp/email"))
        .and(header("api-key", "xkeysib-brevo-0003"))
        .and(body_partial_json(
            json!({"to": [{"email": "client@example.com"}], "subject": "Welcome"}),
        ))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"messageId": "<x@y>"})))
        .expect(1)
        .mount(&mock)
        .await;
    let (_t, job) = deliver(
        "brevo",
        json!({"apiKey": "xkeysib-brevo-0003", "sender": "noreply@broker.example", "staffEmail": "staff@broker.example"}),
        &mock,
    )
    .await;
    assert_eq!(job.status, jobs::DONE);
    mock.verify().await;
}

#[tokio::test]
async fn provider_errors_leave_the_job_queued_for_retry() {
    let mock = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v3/mail/send"))
        .respond_with(ResponseTemplate::new(500).set_body_string("boom SG.retry-key-0004 internal"))
        .mount(&mock)
        .await;
    let (_t, job) = deliver(
        "sendgrid",
        json!({"sender": "noreply@broker.example", "apiKey": "SG.retry-key-0004", "staffEmail": "staff@broker.example"}),
        &mock,
    )
    .await;
    assert_eq!(job.status, jobs::QUEUED);
    assert_eq!(job.attempts, 1);
    assert!(job.run_at > brokercrm_store::db::now(), "retry is scheduled with backoff");
    let err = job.last_error.unwrap();
    assert!(err.contains("500"), "{err}");
    assert!(!err.contains("SG.retry-key-0004"), "the key is scrubbed from the error: {err}");
    assert_eq!(mock.received_requests().await.unwrap().len(), 1);
}
