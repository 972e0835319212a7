//! Outgoing e-mail as a background job: enqueued with the business write, sent by the runner
//! through the provider configured in Settings (SendGrid, Mailgun, SMTP, Brevo), or logged
//! (recipient and subject only) when none is configured.
//!
//! E-mails carry secrets (generated passwords, password-reset and confirmation links), so the
//! job's stored payload is the message sealed with the data key (AES-256-GCM, see
//! `platform::crypto`): nothing of it is at rest in plain text in the job table.

use std::sync::Arc;

use brokercrm_core::{Error, Result};
use brokercrm_integrations::email::{
    EmailMessage, EmailProviderConfig, EmailSender, LogEmailSender, build_sender,
};
use brokercrm_store::ConnectionTrait;
use brokercrm_store::repo::platform::settings;
use serde::{Deserialize, Serialize};

use crate::App;
use crate::platform::crypto::DataKey;
use crate::platform::jobs::{self, Job};

/// Setting key holding the active provider's configuration (JSON, secret).
pub const EMAIL_PROVIDER_KEY: &str = "email.provider";

/// An e-mail to send.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SendEmail {
    pub to: String,
    pub subject: String,
    pub text: String,
    #[serde(default)]
    pub html: Option<String>,
}

/// What the data key's seal of an e-mail is bound to (its AAD).
const SEAL_CONTEXT: &[u8] = b"job:email.send";

/// The `email.send` job as stored: the message sealed with the data key. (`Plain` reads the
/// jobs queued by versions before the seal; nothing queues it any more.)
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(untagged)]
pub enum EmailJob {
    Sealed { sealed: String },
    Plain(SendEmail),
}

impl EmailJob {
    /// `email` sealed with `key`.
    pub fn seal(key: &DataKey, email: &SendEmail) -> Result<Self> {
        let plain = serde_json::to_vec(email).map_err(Error::internal)?;
        Ok(Self::Sealed { sealed: key.seal(SEAL_CONTEXT, &plain)? })
    }

    /// The message (a wrong data key is an error, retried and then dead-lettered).
    pub fn open(self, key: &DataKey) -> Result<SendEmail> {
        match self {
            Self::Sealed { sealed } => {
                serde_json::from_slice(&key.open(SEAL_CONTEXT, &sealed)?).map_err(Error::internal)
            }
            Self::Plain(email) => Ok(email),
        }
    }
}

impl Job for EmailJob {
    const KIND: &'static str = "email.send";
    const MAX_ATTEMPTS: i32 = 10;

    async fn run(self, app: App) -> Result<()> {
        let email = self.open(app.data_key())?;
        let sender = sender(&app).await?;
        sender
            .send(&EmailMessage {
                to: email.to,
                subject: email.subject,
                text: email.text,
                html: email.html,
            })
            .await
    }
}

/// Queues an e-mail, sealed, on `conn` (pass the business transaction).
pub async fn queue<C: ConnectionTrait>(app: &App, conn: &C, email: SendEmail) -> Result<()> {
    jobs::enqueue(conn, &EmailJob::seal(app.data_key(), &email)?).await.map(|_| ())
}

/// The configured provider, if any.
pub async fn provider(app: &App) -> Result<Option<EmailProviderConfig>> {
    match settings::get(app.db().conn(), EMAIL_PROVIDER_KEY).await? {
        Some(row) => serde_json::from_str(&row.value).map(Some).map_err(Error::internal),
        None => Ok(None),
    }
}

/// The sender to use now: the test override, the configured provider, or the log sender.
pub async fn sender(app: &App) -> Result<Arc<dyn EmailSender>> {
    if let Some(s) = &app.services().email_override {
        return Ok(s.clone());
    }
    match provider(app).await? {
        Some(cfg) => build_sender(&cfg, app.services().http.clone()),
        None => Ok(Arc::new(LogEmailSender)),
    }
}
