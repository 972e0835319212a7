//! The e-mail provider settings ("Set Sendgrid/Mailgun/Brevo as email provider", "Set SMTP
//! provider for email") and a test e-mail through the configured provider.

use brokercrm_core::Permission;
use brokercrm_core::error::Violations;
use brokercrm_core::validate::Email;
use brokercrm_core::{Error, Result};
pub use brokercrm_integrations::email::EmailProviderConfig;
use brokercrm_store::db;
use serde_json::Value;

use super::store_config;
use crate::platform::audit::{self, Audit};
use crate::platform::email::{EMAIL_PROVIDER_KEY, SendEmail};
use crate::platform::url_guard::{check_host_port, check_url};
use crate::{App, Principal};

/// The SMTP form as received; `port` is checked here (1..=65535).
#[derive(Debug, Clone)]
pub struct SmtpInput {
    pub host: String,
    pub sender: String,
    pub port: i64,
    pub username: String,
    pub password: String,
    pub secure: bool,
    pub staff_email: String,
}

/// Extra checks beyond the config's own: non-blank secrets and an allowed `apiBase`.
fn check_extra(app: &App, cfg: &EmailProviderConfig, v: &mut Violations) {
    let (api_key, api_base) = match cfg {
        EmailProviderConfig::Sendgrid { api_key, api_base, .. }
        | EmailProviderConfig::Mailgun { api_key, api_base, .. }
        | EmailProviderConfig::Brevo { api_key, api_base, .. } => {
            (Some(api_key), api_base.as_deref())
        }
        EmailProviderConfig::Smtp { .. } => (None, None),
    };
    if let Some(k) = api_key
        && k.chars().count() > 500
    {
        v.push("apiKey", "must be at most 500 characters");
    }
    if let Some(base) = api_base {
        v.check(check_url(app, "apiBase", base));
    }
    if let EmailProviderConfig::Smtp { host, .. } = cfg
        && !host.trim().is_empty()
    {
        v.check(check_host_port(app, "host", host));
    }
}

/// Stores `cfg` as the active provider after validating every field; returns it masked.
pub async fn set_provider(app: &App, actor: &Principal, cfg: EmailProviderConfig) -> Result<Value> {
    actor.require(Permission::ManageSettings)?;
    let mut v = Violations::new();
    v.check(cfg.validate());
    check_extra(app, &cfg, &mut v);
    v.finish()?;
    let kind = format!("settings.email.{}", cfg.provider());
    let value = serde_json::to_value(&cfg).map_err(Error::internal)?;
    store_config(app, actor, EMAIL_PROVIDER_KEY, value, &kind).await
}

/// "Set SMTP provider for email".
pub async fn set_smtp(app: &App, actor: &Principal, input: SmtpInput) -> Result<Value> {
    actor.require(Permission::ManageSettings)?;
    let port = u16::try_from(input.port).ok().filter(|p| *p > 0);
    let cfg = EmailProviderConfig::Smtp {
        host: input.host.trim().to_owned(),
        sender: input.sender,
        port: port.unwrap_or(0),
        username: input.username,
        password: input.password,
        secure: input.secure,
        staff_email: input.staff_email,
    };
    let mut v = Violations::new();
    if port.is_none() {
        v.push("port", "must be between 1 and 65535");
    }
    if let Err(Error::Validation(fields)) = cfg.validate() {
        for f in fields.into_iter().filter(|f| f.field != "port") {
            v.push(f.field, f.message);
        }
    }
    check_extra(app, &cfg, &mut v);
    v.finish()?;
    let value = serde_json::to_value(&cfg).map_err(Error::internal)?;
    store_config(app, actor, EMAIL_PROVIDER_KEY, value, "settings.email.smtp").await
}

/// Queues a test e-mail to `to` through the configured provider (audited). `Conflict` when no
/// provider is configured.
pub async fn send_test(app: &App, actor: &Principal, to: &str) -> Result<()> {
    actor.require(Permission::ManageSettings)?;
    let to = Email::parse("to", to)?;
    let Some(cfg) = crate::platform::email::provider(app).await? else {
        return Err(Error::Conflict("no email provider is configured".into()));
    };
    let tx = app.db().begin_write().await?;
    crate::platform::email::queue(
        app,
        &tx,
        SendEmail {
            to: to.as_str().to_owned(),
            subject: "brokercrm test e-mail".into(),
            text: format!(
                "This test e-mail was sent through {} as requested by {}.",
                cfg.provider(),
                actor.email
            ),
            html: None,
        },
    )
    .await?;
    audit::record(
        &tx,
        Some(actor),
        Audit::new("settings.email_test", "setting", EMAIL_PROVIDER_KEY)
            .details(format!("test e-mail to {to} queued through {}", cfg.provider())),
    )
    .await?;
    db::commit(tx).await
}
