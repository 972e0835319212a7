//! Brevo (ex-Sendinblue) transactional email: `POST /v3/smtp/email` with an `api-key` header.

use async_trait::async_trait;
use brokercrm_core::Result;
use brokercrm_core::validate::Email;
use serde_json::json;

use super::config::parse_mailbox;
use super::http::{endpoint, send_checked};
use super::{EmailMessage, EmailSender};
use crate::outbound::OutboundClient;

const DEFAULT_BASE: &str = "https://api.brevo.com";

/// Sends through Brevo's HTTP API (success is `201 Created`).
pub struct BrevoSender {
    http: OutboundClient,
    url: String,
    api_key: String,
    from_email: String,
    from_name: Option<String>,
}

impl BrevoSender {
    /// `sender` is `addr` or `Name <addr>`; `api_base` overrides `https://api.brevo.com`.
    pub fn new(
        http: OutboundClient,
        sender: &str,
        api_key: &str,
        api_base: Option<&str>,
    ) -> Result<Self> {
        let (from_name, from_email) = parse_mailbox("sender", sender)?;
        let url = endpoint(api_base, DEFAULT_BASE, "/v3/smtp/email");
        Ok(Self { http, url, api_key: api_key.to_owned(), from_email, from_name })
    }
}

#[async_trait]
impl EmailSender for BrevoSender {
    async fn send(&self, msg: &EmailMessage) -> Result<()> {
        let to = Email::parse("to", &msg.to)?;
        let mut sender = json!({ "email": self.from_email });
        if let Some(name) = &self.from_name {
            sender["name"] = json!(name);
        }
        let mut body = json!({
            "sender": sender,
            "to": [{ "email": to.as_str() }],
            "subject": msg.subject,
            "textContent": msg.text,
        });
        if let Some(html) = &msg.html {
            body["htmlContent"] = json!(html);
        }
        let req = self.http.post(&self.url).map(|r| {
            r.header("api-key", &self.api_key)
                .header(reqwest::header::ACCEPT, "application/json")
                .json(&body)
        });
        send_checked("brevo", req, &self.api_key).await
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
        EmailProviderConfig::Brevo {
            api_key: "xkeysib-abc".into(),
            sender: "noreply@example.com".into(),
            staff_email: "staff@example.com".into(),
            api_base: Some(base.into()),
        }
    }

    fn msg() -> EmailMessage {
        EmailMessage {
            to: "client@example.com".into(),
            subject: "Reset".into(),
            text: "Your link".into(),
            html: None,
        }
    }

    #[tokio::test]
    async fn posts_smtp_email_json() {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path("/v3/smtp/email"))
            .and(header("api-key", "xkeysib-abc"))
            .and(body_partial_json(json!({
                "sender": { "email": "noreply@example.com" },
                "to": [{ "email": "client@example.com" }],
                "subject": "Reset",
                "textContent": "Your link"
            })))
            .respond_with(ResponseTemplate::new(201).set_body_json(json!({ "messageId": "<x@y>" })))
            .expect(1)
            .mount(&server)
            .await;
        let sender = build_sender(&cfg(&server.uri()), open_client()).unwrap();
        sender.send(&msg()).await.unwrap();
        let received = server.received_requests().await.unwrap();
        let body: serde_json::Value = received[0].body_json().unwrap();
        assert!(body.get("htmlContent").is_none());
    }

    #[tokio::test]
    async fn server_error_is_upstream() {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .respond_with(ResponseTemplate::new(500).set_body_string("internal"))
            .mount(&server)
            .await;
        let sender = build_sender(&cfg(&server.uri()), open_client()).unwrap();
        let Err(Error::Upstream(text)) = sender.send(&msg()).await else {
            panic!("expected Upstream")
        };
        assert!(text.contains("HTTP 500"), "{text}");
    }
}
