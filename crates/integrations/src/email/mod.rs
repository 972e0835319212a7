//! Email: the message, the `EmailSender` trait, provider settings and the senders behind them.

mod brevo;
mod config;
mod http;
mod mailgun;
mod sendgrid;
mod smtp;

use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use async_trait::async_trait;
use brokercrm_core::{Error, Result};

pub use brevo::BrevoSender;
pub use config::{EmailProviderConfig, mask_secret};
pub use mailgun::MailgunSender;
pub use sendgrid::SendgridSender;
pub use smtp::SmtpSender;

/// One email to one recipient. `html`, when present, is sent as the alternative to `text`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct EmailMessage {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: Option<String>,
}

/// Delivers an email. An `Err(Error::Upstream)` is worth retrying; `Err(Error::Validation)`
/// (bad recipient) is not.
#[async_trait]
pub trait EmailSender: Send + Sync {
    async fn send(&self, msg: &EmailMessage) -> Result<()>;
}

/// The sender for validated settings. `http` is shared (connection pool); each call gets a
/// 10 s time-out. SMTP does not use it.
pub fn build_sender(
    cfg: &EmailProviderConfig,
    http: crate::outbound::OutboundClient,
) -> Result<Arc<dyn EmailSender>> {
    cfg.validate()?;
    Ok(match cfg {
        EmailProviderConfig::Sendgrid { sender, api_key, api_base, .. } => {
            Arc::new(SendgridSender::new(http, sender, api_key, api_base.as_deref())?)
        }
        EmailProviderConfig::Mailgun { sender, api_key, domain, username, api_base, .. } => {
            Arc::new(MailgunSender::new(
                http,
                sender,
                api_key,
                domain,
                username,
                api_base.as_deref(),
            )?)
        }
        EmailProviderConfig::Brevo { sender, api_key, api_base, .. } => {
            Arc::new(BrevoSender::new(http, sender, api_key, api_base.as_deref())?)
        }
        EmailProviderConfig::Smtp { host, sender, port, username, password, secure, .. } => {
            Arc::new(SmtpSender::new(host, *port, username, password, *secure, sender)?)
        }
    })
}

/// Default when no provider is configured: logs recipient and subject (never the body, which
/// may carry tokens) and sends nothing.
#[derive(Debug, Default, Clone, Copy)]
pub struct LogEmailSender;

#[async_trait]
impl EmailSender for LogEmailSender {
    async fn send(&self, msg: &EmailMessage) -> Result<()> {
        tracing::info!(to = %msg.to, subject = %msg.subject, "email not sent: no email provider configured");
        Ok(())
    }
}

/// Keeps every sent message in memory, for tests of other crates. `set_failing(true)` makes
/// `send` return `Error::Upstream` (and record nothing) to exercise retries.
#[derive(Debug, Default)]
pub struct RecordingEmailSender {
    sent: Mutex<Vec<EmailMessage>>,
    failing: AtomicBool,
}

impl RecordingEmailSender {
    pub fn new() -> Self {
        Self::default()
    }

    /// Messages sent so far, oldest first.
    pub fn sent(&self) -> Vec<EmailMessage> {
        self.sent.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// The most recent message, if any.
    pub fn last(&self) -> Option<EmailMessage> {
        self.sent.lock().unwrap_or_else(|e| e.into_inner()).last().cloned()
    }

    /// Removes and returns all messages.
    pub fn take(&self) -> Vec<EmailMessage> {
        std::mem::take(&mut *self.sent.lock().unwrap_or_else(|e| e.into_inner()))
    }

    pub fn set_failing(&self, failing: bool) {
        self.failing.store(failing, Ordering::SeqCst);
    }
}

#[async_trait]
impl EmailSender for RecordingEmailSender {
    async fn send(&self, msg: &EmailMessage) -> Result<()> {
        if self.failing.load(Ordering::SeqCst) {
            return Err(Error::Upstream("recording sender set to fail".into()));
        }
        self.sent.lock().unwrap_or_else(|e| e.into_inner()).push(msg.clone());
        Ok(())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn msg() -> EmailMessage {
        EmailMessage {
            to: "a@example.com".into(),
            subject: "Hi".into(),
            text: "t".into(),
            html: None,
        }
    }

    #[tokio::test]
    async fn recording_sender_records_and_fails_on_demand() {
        let rec = RecordingEmailSender::new();
        rec.send(&msg()).await.unwrap();
        assert_eq!(rec.last().unwrap().subject, "Hi");
        rec.set_failing(true);
        assert!(matches!(rec.send(&msg()).await, Err(Error::Upstream(_))));
        assert_eq!(rec.take().len(), 1);
        LogEmailSender.send(&msg()).await.unwrap();
    }

    #[test]
    fn build_sender_validates_first() {
        let cfg = EmailProviderConfig::Sendgrid {
            sender: "noreply@example.com".into(),
            api_key: String::new(),
            staff_email: "staff@example.com".into(),
            api_base: None,
        };
        assert!(matches!(
            build_sender(&cfg, crate::outbound::open_client()),
            Err(Error::Validation(_))
        ));
    }
}
