//! Templated e-mails as jobs: the trigger job renders a trigger's enabled templates for the
//! customer whose conditions match, and queues one `messaging.email` job per (event,
//! template, recipient) — the job's dedup key makes a repeated event send nothing twice —
//! sent through the configured provider (`platform::email::sender`).

use brokercrm_core::Result;
use brokercrm_core::messaging::conditions::{Conditions, Recipient};
use brokercrm_core::messaging::triggers::Trigger;
use brokercrm_integrations::email::EmailMessage;
use brokercrm_store::ConnectionTrait;
use brokercrm_store::repo::identity::users;
use brokercrm_store::repo::messaging::email_templates;
use brokercrm_store::repo::money::wallets;
use serde::{Deserialize, Serialize};

use super::render::{self, Parts, Rendered, Vars};
use crate::App;
use crate::platform::email;
use crate::platform::jobs::{self, Job};

/// The `messaging.email` job: one rendered e-mail.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TemplatedEmail {
    /// `event:template:recipient`, or `None` for a test send.
    pub key: Option<String>,
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: Option<String>,
}

impl Job for TemplatedEmail {
    const KIND: &'static str = "messaging.email";
    const MAX_ATTEMPTS: i32 = 10;

    fn dedup_key(&self) -> Option<String> {
        self.key.as_ref().map(|k| format!("messaging.email:{k}"))
    }

    async fn run(self, app: App) -> Result<()> {
        let sender = email::sender(&app).await?;
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

/// Queues a rendered e-mail on `conn`.
pub async fn queue<C: ConnectionTrait>(
    conn: &C,
    key: Option<String>,
    to: &str,
    r: Rendered,
) -> Result<()> {
    let job =
        TemplatedEmail { key, to: to.to_owned(), subject: r.subject, text: r.text, html: r.html };
    jobs::enqueue(conn, &job).await.map(|_| ())
}

/// The `messaging.trigger` job: an event happened to a customer.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TriggerEmails {
    pub trigger: String,
    pub user_id: i64,
    /// Unique per event (`deposit:<transfer id>`...).
    pub event_key: String,
    /// The event's own variables.
    pub vars: Vars,
}

impl Job for TriggerEmails {
    const KIND: &'static str = "messaging.trigger";

    fn dedup_key(&self) -> Option<String> {
        Some(format!("messaging.trigger:{}:{}", self.trigger, self.event_key))
    }

    async fn run(self, app: App) -> Result<()> {
        let conn = app.db().conn();
        let Some(user) = users::find_by_id(conn, self.user_id).await? else { return Ok(()) };
        let templates = email_templates::enabled_for(conn, &self.trigger).await?;
        if templates.is_empty() {
            return Ok(());
        }
        let mut recipient = Recipient {
            country: user.country.clone(),
            language: user.communication_language.clone(),
            ..Default::default()
        };
        let mut vars = self.vars.clone();
        for (k, v) in [
            ("firstname", user.firstname.clone()),
            ("lastname", user.lastname.clone()),
            ("email", Some(user.email.clone())),
            ("country", user.country.clone()),
            ("language", user.communication_language.clone()),
        ] {
            vars.insert(k.to_owned(), v.unwrap_or_default());
        }
        let mut wallets_read = false;
        let tx = app.db().begin_write().await?;
        for t in templates {
            let cond: Conditions = serde_json::from_str(&t.conditions).unwrap_or_default();
            if cond.needs_wallets() && !wallets_read {
                for (demo, group) in wallets::books_and_groups(&tx, user.id).await? {
                    if demo {
                        recipient.has_demo = true
                    } else {
                        recipient.has_real = true
                    }
                    recipient.groups.extend(group);
                }
                wallets_read = true;
            }
            if !cond.matches(&recipient) {
                continue;
            }
            let parts = Parts { subject: &t.subject, mjml: &t.mjml, txt: &t.txt };
            match render::render(parts, &vars) {
                Ok(r) => {
                    let key = format!("{}:{}:{}", self.event_key, t.uuid, user.id);
                    queue(&tx, Some(key), &user.email, r).await?;
                }
                // A stored template that no longer renders is skipped, not retried forever.
                Err(e) => {
                    tracing::warn!(template = %t.uuid, error = %e.public_message(), "template not rendered")
                }
            }
        }
        brokercrm_store::db::commit(tx).await
    }
}

/// Queues the trigger job in the publisher's transaction when the trigger has an enabled
/// template (one indexed read; the rendering happens in the job).
pub async fn on_event<C: ConnectionTrait>(
    conn: &C,
    trigger: Trigger,
    user_id: i64,
    event_key: String,
    vars: Vars,
) -> Result<()> {
    on_events(conn, trigger, vec![(user_id, event_key, vars)]).await
}

/// [`on_event`] for a batch of events of one trigger, each `(user id, event key, variables)`:
/// the templates are read once for the batch.
pub async fn on_events<C: ConnectionTrait>(
    conn: &C,
    trigger: Trigger,
    events: Vec<(i64, String, Vars)>,
) -> Result<()> {
    if events.is_empty() || email_templates::enabled_for(conn, trigger.as_str()).await?.is_empty() {
        return Ok(());
    }
    let batch: Vec<TriggerEmails> = events
        .into_iter()
        .map(|(user_id, event_key, vars)| TriggerEmails {
            trigger: trigger.as_str().to_owned(),
            user_id,
            event_key,
            vars,
        })
        .collect();
    jobs::enqueue_all(conn, &batch).await
}
