//! SendGrid v3 Mail Send: `POST /v3/mail/send`, Bearer API key, JSON personalizations.

use async_trait::async_trait;
use brokercrm_core::Result;
use brokercrm_core::validate::Email;
use serde_json::json;

use super::config::parse_mailbox;
use super::http::{endpoint, send_checked};
use super::{EmailMessage, EmailSender};
use crate::outbound::OutboundClient;

const DEFAULT_BASE: &str = "https://api.sendgrid.com";

/// Sends through SendGrid's HTTP API (success is `202 Accepted`).
pub struct SendgridSender {
    http: OutboundClient,
    url: String,
    api_key: String,
    from_email: String,
    from_name: Option<String>,
}

impl SendgridSender {
    /// `sender` is `addr` or `Name <addr>`; `api_base` overrides `https://api.sendgrid.com`.
    pub fn new(
        http: OutboundClient,
        sender: &str,
        api_key: &str,
        api_base: Option<&str>,
    ) -> Result<Self> {
        let (from_name, from_email) = parse_mailbox("sender", sender)?;
        let url = endpoint(api_base, DEFAULT_BASE, "/v3/mail/send");
        Ok(Self { http, url, api_key: api_key.to_owned(), from_email, from_name })
    }
}

#[async_trait]
impl EmailSender for SendgridSender {
    async fn send(&self, msg: &EmailMessage) -> Result<()> {
        let to = Email::parse("to", &msg.to)?;
        let mut from = json!({ "email": self.from_email });
        if let Some(name) = &self.from_name {
            from["name"] = json!(name);
        }
        // SendGrid requires text/plain before text/html.
        let mut content = vec![json!({ "type": "text/plain", "value": msg.text })];
        if let Some(html) = &msg.html {
            content.push(json!({ "type": "text/html", "value": html }));
        }
        let body = json!({
            "personalizations": [{ "to": [{ "email": to.as_str() }] }],
            "from": from,
            "subject": msg.subject,
            "content": content,
        });
        let req = self.http.post(&self.url).map(|r| r.bearer_auth(&self.api_key).json(&body));
        send_checked("sendgrid", req, &self.api_key).await
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::email::{EmailProviderConfig, build_sender};
    use crate::outbound::open_client;
    use brokercrm_core::Error;
    use wiremock::matchers::{body_partial_json, header, method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    fn cfg(base: &str) -> EmailProviderConfig {
        EmailProviderConfig::Sendgrid {
            sender: "Broker <noreply@example.com>".into(),
            api_key: "SG.secret-key-123".into(),
            staff_email: "staff@example.com".into(),
            api_base: Some(base.into()),
        }
    }

    fn msg() -> EmailMessage {
        EmailMessage {
            to: "client@example.com".into(),
            subject: "Welcome".into(),
            text: "Hello".into(),
            html: Some("<p>Hello</p>".into()),
        }
    }

    #[tokio::test]
    async fn posts_mail_send_json() {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path("/v3/mail/send"))
            .and(header("authorization", "Bearer SG.secret-key-123"))
            .and(body_partial_json(json!({
                "personalizations": [{ "to": [{ "email": "client@example.com" }] }],
                "from": { "email": "noreply@example.com", "name": "Broker" },
                "subject": "Welcome",
                "content": [
                    { "type": "text/plain", "value": "Hello" },
                    { "type": "text/html", "value": "<p>Hello</p>" }
                ]
            })))
            .respond_with(ResponseTemplate::new(202))
            .expect(1)
            .mount(&server)
            .await;
        let sender = build_sender(&cfg(&server.uri()), open_client()).unwrap();
        sender.send(&msg()).await.unwrap();
    }

    #[tokio::test]
    async fn server_error_is_upstream_without_the_key() {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .respond_with(ResponseTemplate::new(500).set_body_string("boom SG.secret-key-123"))
            .mount(&server)
            .await;
        let sender = build_sender(&cfg(&server.uri()), open_client()).unwrap();
        let Err(Error::Upstream(text)) = sender.send(&msg()).await else {
            panic!("expected Upstream")
        };
        assert!(text.contains("500") && text.contains("boom"), "{text}");
        assert!(!text.contains("secret-key"), "{text}");
    }

    #[tokio::test]
    async fn bad_recipient_is_a_validation_error() {
        let sender = build_sender(&cfg("http://127.0.0.1:9"), open_client()).unwrap();
        let bad = EmailMessage { to: "nope".into(), ..msg() };
        assert!(matches!(sender.send(&bad).await, Err(Error::Validation(_))));
    }
}
