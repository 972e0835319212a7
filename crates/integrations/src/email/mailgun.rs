//! Mailgun Messages API: `POST /v3/{domain}/messages`, form-encoded, HTTP basic auth.

use async_trait::async_trait;
use brokercrm_core::Result;
use brokercrm_core::validate::Email;

use super::config::parse_mailbox;
use super::http::{endpoint, send_checked};
use super::{EmailMessage, EmailSender};
use crate::outbound::OutboundClient;

/// US region; set `apiBase` to `https://api.eu.mailgun.net` for EU domains.
const DEFAULT_BASE: &str = "https://api.mailgun.net";

/// Sends through Mailgun's HTTP API as `user:apiKey` (user is `api` unless configured).
pub struct MailgunSender {
    http: OutboundClient,
    url: String,
    user: String,
    api_key: String,
    from: String,
}

impl MailgunSender {
    /// `username` empty means `api`; `domain` is the sending domain (validated by the config).
    pub fn new(
        http: OutboundClient,
        sender: &str,
        api_key: &str,
        domain: &str,
        username: &str,
        api_base: Option<&str>,
    ) -> Result<Self> {
        let (name, addr) = parse_mailbox("sender", sender)?;
        let from = match name {
            Some(name) => format!("\"{}\" <{addr}>", name.replace(['"', '\\'], "")),
            None => addr,
        };
        let url = endpoint(api_base, DEFAULT_BASE, &format!("/v3/{domain}/messages"));
        let user = if username.trim().is_empty() { "api" } else { username.trim() };
        Ok(Self { http, url, user: user.to_owned(), api_key: api_key.to_owned(), from })
    }
}

#[async_trait]
impl EmailSender for MailgunSender {
    async fn send(&self, msg: &EmailMessage) -> Result<()> {
        let to = Email::parse("to", &msg.to)?;
        let mut form = vec![
            ("from", self.from.as_str()),
            ("to", to.as_str()),
            ("subject", msg.subject.as_str()),
            ("text", msg.text.as_str()),
        ];
        if let Some(html) = &msg.html {
            form.push(("html", html));
        }
        let req = self
            .http
            .post(&self.url)
            .map(|r| r.basic_auth(&self.user, Some(&self.api_key)).form(&form));
        send_checked("mailgun", req, &self.api_key).await
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::email::{EmailProviderConfig, build_sender};
    use crate::outbound::open_client;
    use brokercrm_core::Error;
    use wiremock::matchers::{basic_auth, header, method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    fn cfg(base: &str, username: &str) -> EmailProviderConfig {
        EmailProviderConfig::Mailgun {
            sender: "Broker <noreply@mg.example.com>".into(),
            api_key: "key-abc123".into(),
            domain: "mg.example.com".into(),
            username: username.into(),
            staff_email: "staff@example.com".into(),
            api_base: Some(base.into()),
        }
    }

    fn msg() -> EmailMessage {
        EmailMessage {
            to: "client@example.com".into(),
            subject: "Deposit received".into(),
            text: "Thanks & welcome".into(),
            html: Some("<b>Thanks</b>".into()),
        }
    }

    #[tokio::test]
    async fn posts_form_with_basic_auth() {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path("/v3/mg.example.com/messages"))
            .and(basic_auth("api", "key-abc123"))
            .and(header("content-type", "application/x-www-form-urlencoded"))
            .respond_with(ResponseTemplate::new(200).set_body_string(r#"{"id":"<1@mg>"}"#))
            .expect(1)
            .mount(&server)
            .await;
        let sender = build_sender(&cfg(&server.uri(), ""), open_client()).unwrap();
        sender.send(&msg()).await.unwrap();
        let received = server.received_requests().await.unwrap();
        let form: Vec<(String, String)> = serde_urlencoded_pairs(&received[0].body);
        let get = |k: &str| form.iter().find(|(key, _)| key == k).map(|(_, v)| v.as_str());
        assert_eq!(get("from"), Some("\"Broker\" <noreply@mg.example.com>"));
        assert_eq!(get("to"), Some("client@example.com"));
        assert_eq!(get("subject"), Some("Deposit received"));
        assert_eq!(get("text"), Some("Thanks & welcome"));
        assert_eq!(get("html"), Some("<b>Thanks</b>"));
    }

    #[tokio::test]
    async fn uses_configured_username_and_reports_failures() {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(basic_auth("postmaster", "key-abc123"))
            .respond_with(ResponseTemplate::new(500).set_body_string("down"))
            .expect(1)
            .mount(&server)
            .await;
        let sender = build_sender(&cfg(&server.uri(), "postmaster"), open_client()).unwrap();
        let Err(Error::Upstream(text)) = sender.send(&msg()).await else {
            panic!("expected Upstream")
        };
        assert!(text.contains("500") && text.contains("down"), "{text}");
    }

    fn serde_urlencoded_pairs(body: &[u8]) -> Vec<(String, String)> {
        url::form_urlencoded::parse(body).into_owned().collect()
    }
}
