//! Email provider settings as the CRM API stores them (seed 002 "Set ... as email provider").

use brokercrm_core::error::Violations;
use brokercrm_core::validate::{Email, http_url};
use brokercrm_core::{Error, Result};
use serde::{Deserialize, Serialize};

/// One configured email provider. JSON: `{"provider": "sendgrid", "sender": ..., "apiKey": ...}`.
/// `apiBase` (HTTP providers only) overrides the API origin, e.g. `https://api.eu.mailgun.net`
/// for Mailgun EU or a mock server in tests. `Debug` is redacted; `Serialize` is not (storage).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "provider", rename_all = "lowercase", rename_all_fields = "camelCase")]
pub enum EmailProviderConfig {
    Sendgrid {
        sender: String,
        api_key: String,
        staff_email: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        api_base: Option<String>,
    },
    Mailgun {
        sender: String,
        api_key: String,
        domain: String,
        /// Basic-auth user; empty means Mailgun's usual `api`.
        username: String,
        staff_email: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        api_base: Option<String>,
    },
    Smtp {
        host: String,
        sender: String,
        port: u16,
        username: String,
        password: String,
        /// `true`: implicit TLS from the first byte (port 465). `false`: STARTTLS when the
        /// server offers it, plain otherwise (nodemailer's meaning of `secure`).
        secure: bool,
        staff_email: String,
    },
    Brevo {
        api_key: String,
        sender: String,
        staff_email: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        api_base: Option<String>,
    },
}

impl EmailProviderConfig {
    /// `sendgrid`, `mailgun`, `smtp` or `brevo`.
    pub fn provider(&self) -> &'static str {
        match self {
            Self::Sendgrid { .. } => "sendgrid",
            Self::Mailgun { .. } => "mailgun",
            Self::Smtp { .. } => "smtp",
            Self::Brevo { .. } => "brevo",
        }
    }

    /// The `From` of outgoing mail: `noreply@x.com` or `Broker <noreply@x.com>`.
    pub fn sender(&self) -> &str {
        match self {
            Self::Sendgrid { sender, .. }
            | Self::Mailgun { sender, .. }
            | Self::Smtp { sender, .. }
            | Self::Brevo { sender, .. } => sender,
        }
    }

    /// Where staff notifications go.
    pub fn staff_email(&self) -> &str {
        match self {
            Self::Sendgrid { staff_email, .. }
            | Self::Mailgun { staff_email, .. }
            | Self::Smtp { staff_email, .. }
            | Self::Brevo { staff_email, .. } => staff_email,
        }
    }

    /// Checks every field; all problems are reported at once, named as on the wire.
    pub fn validate(&self) -> Result<()> {
        let mut v = Violations::new();
        v.check(parse_mailbox("sender", self.sender()));
        v.check(Email::parse("staffEmail", self.staff_email()));
        match self {
            Self::Sendgrid { api_key, api_base, .. } | Self::Brevo { api_key, api_base, .. } => {
                v.check(non_empty("apiKey", api_key));
                v.check(api_base.as_deref().map_or(Ok(()), |b| http_url("apiBase", b).map(drop)));
            }
            Self::Mailgun { api_key, domain, api_base, .. } => {
                v.check(non_empty("apiKey", api_key));
                let ok = !domain.is_empty()
                    && domain.chars().all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-');
                if !ok {
                    v.push("domain", "must be a domain name such as mg.example.com");
                }
                v.check(api_base.as_deref().map_or(Ok(()), |b| http_url("apiBase", b).map(drop)));
            }
            Self::Smtp { host, port, .. } => {
                v.check(non_empty("host", host));
                if *port == 0 {
                    v.push("port", "must be between 1 and 65535");
                }
            }
        }
        v.finish()
    }

    /// The settings as JSON with every secret (`apiKey`, `password`) masked: at most the first
    /// 4 characters (and never more than a quarter of the secret) followed by `****`.
    pub fn redacted(&self) -> serde_json::Value {
        let mut value = serde_json::to_value(self).unwrap_or_default();
        if let Some(map) = value.as_object_mut() {
            for key in ["apiKey", "password"] {
                if let Some(serde_json::Value::String(secret)) = map.get_mut(key) {
                    *secret = mask_secret(secret);
                }
            }
        }
        value
    }
}

impl std::fmt::Debug for EmailProviderConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "EmailProviderConfig({})", self.redacted())
    }
}

/// `SG.abcdef...` → `SG.a****`; short secrets show nothing but `****`; empty stays empty.
pub fn mask_secret(secret: &str) -> String {
    if secret.is_empty() {
        return String::new();
    }
    let shown = (secret.chars().count() / 4).min(4);
    let prefix: String = secret.chars().take(shown).collect();
    format!("{prefix}****")
}

fn non_empty(field: &str, s: &str) -> Result<()> {
    if s.trim().is_empty() { Err(Error::field(field, "must not be empty")) } else { Ok(()) }
}

/// Splits `Name <addr>` or `addr` into an optional display name and a validated address.
pub(crate) fn parse_mailbox(field: &str, raw: &str) -> Result<(Option<String>, String)> {
    let raw = raw.trim();
    let (name, addr) = match raw.strip_suffix('>').and_then(|r| r.rsplit_once('<')) {
        Some((name, addr)) => {
            let name = name.trim().trim_matches('"').trim();
            ((!name.is_empty()).then(|| name.to_owned()), addr)
        }
        None => (None, raw),
    };
    Ok((name, Email::parse(field, addr)?.as_str().to_owned()))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_the_seed_shapes_and_redacts() {
        let cfg: EmailProviderConfig = serde_json::from_value(json!({
            "provider": "mailgun", "sender": "Broker <noreply@mg.example.com>",
            "apiKey": "key-0123456789abcdef", "domain": "mg.example.com",
            "username": "", "staffEmail": "staff@example.com"
        }))
        .unwrap();
        cfg.validate().unwrap();
        let red = cfg.redacted();
        assert_eq!(red["apiKey"], "key-****");
        assert_eq!(red["provider"], "mailgun");
        assert!(!format!("{cfg:?}").contains("0123456789"));
        assert_eq!(serde_json::to_value(&cfg).unwrap()["apiKey"], "key-0123456789abcdef");

        let smtp: EmailProviderConfig = serde_json::from_value(json!({
            "provider": "smtp", "host": "smtp.example.com", "sender": "a@example.com",
            "port": 587, "username": "u", "password": "pw", "secure": false,
            "staffEmail": "s@example.com"
        }))
        .unwrap();
        assert_eq!(smtp.redacted()["password"], "****");
        assert_eq!(mask_secret("SG.abcdefghijklmnopqrstuvwxyz"), "SG.a****");
    }

    #[test]
    fn validation_names_every_bad_field() {
        let cfg = EmailProviderConfig::Brevo {
            api_key: String::new(),
            sender: "nope".into(),
            staff_email: "s@example.com".into(),
            api_base: Some("ftp://x".into()),
        };
        let Err(Error::Validation(fields)) = cfg.validate() else { panic!("expected errors") };
        let names: Vec<_> = fields.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(names, ["sender", "apiKey", "apiBase"]);
    }

    #[test]
    fn mailbox_forms() {
        assert_eq!(parse_mailbox("s", "a@b.com").unwrap(), (None, "a@b.com".into()));
        let (name, addr) = parse_mailbox("s", "\"My Broker\" <A@B.com>").unwrap();
        assert_eq!((name.as_deref(), addr.as_str()), (Some("My Broker"), "a@b.com"));
        assert!(parse_mailbox("s", "Broker <>").is_err());
    }
}
