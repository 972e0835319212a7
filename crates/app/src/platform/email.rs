//! Outgoing e-mail as a background job: enqueued with the business write, sent by the runner
//! through the provider configured in Settings (SendGrid, Mailgun, SMTP, Brevo), or logged
//! when none is configured.

use std::sync::Arc;

use brokercrm_core::{Error, Result};
use brokercrm_integrations::email::{
    EmailMessage, EmailProviderConfig, EmailSender, LogEmailSender, build_sender,
};
use brokercrm_store::ConnectionTrait;
use brokercrm_store::repo::platform::settings;
use serde::{Deserialize, Serialize};

use crate::App;
use crate::platform::jobs::{self, Job};

/// Setting key holding the active provider's configuration (JSON, secret).
pub const EMAIL_PROVIDER_KEY: &str = "email.provider";

/// The `email.send` job.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SendEmail {
    pub to: String,
    pub subject: String,
    pub text: String,
    #[serde(default)]
    pub html: Option<String>,
}

impl Job for SendEmail {
    const KIND: &'static str = "email.send";
    const MAX_ATTEMPTS: i32 = 10;

    async fn run(self, app: App) -> Result<()> {
        let sender = sender(&app).await?;
        sender
            .send(&EmailMessage {
                to: self.to,
                subject: self.subject,
                text: self.text,
                html: self.html,
            })
            .await
    }
}

/// Queues an e-mail on `conn` (pass the business transaction).
pub async fn queue<C: ConnectionTrait>(conn: &C, email: SendEmail) -> Result<()> {
    jobs::enqueue(conn, &email).await.map(|_| ())
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
