//! Templated e-mails as jobs: the trigger job renders a trigger's enabled templates for the
//! customer whose conditions match, and queues one `messaging.email` job per (event,
//! template, recipient) — the job's dedup key makes a repeated event send nothing twice —
//! sent through the configured provider (`platform::email::sender`).

use std::collections::HashMap;

use brokercrm_core::Result;
use brokercrm_core::messaging::conditions::{Conditions, Recipient};
use brokercrm_core::messaging::triggers::Trigger;
use brokercrm_integrations::email::EmailMessage;
use brokercrm_store::ConnectionTrait;
use brokercrm_store::repo::identity::users::{self, UserRow};
use brokercrm_store::repo::messaging::email_templates::{self, TemplateRow};
use brokercrm_store::repo::money::wallets;
use serde::{Deserialize, Serialize};

use super::render::{self, Parts, Rendered, Vars};
use crate::App;
use crate::platform::email;
use crate::platform::jobs::{self, BatchJob, Job};

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
        Self::run_batch(vec![self], app).await
    }
}

impl BatchJob for TriggerEmails {
    const BATCH: u64 = 200;

    /// Every event's recipient read in one query and each trigger's templates once; every
    /// e-mail of the batch queued in one statement, in one transaction.
    async fn run_batch(jobs: Vec<Self>, app: App) -> Result<()> {
        let conn = app.db().conn();
        let mut ids: Vec<i64> = jobs.iter().map(|j| j.user_id).collect();
        ids.sort_unstable();
        ids.dedup();
        let users: HashMap<i64, UserRow> =
            users::find_by_ids(conn, &ids).await?.into_iter().map(|u| (u.id, u)).collect();
        let mut templates: HashMap<&str, Vec<TemplateRow>> = HashMap::new();
        for job in &jobs {
            if !templates.contains_key(job.trigger.as_str()) {
                let enabled = email_templates::enabled_for(conn, &job.trigger).await?;
                templates.insert(job.trigger.as_str(), enabled);
            }
        }
        if templates.values().all(Vec::is_empty) {
            return Ok(());
        }
        let tx = app.db().begin_write().await?;
        let mut emails = Vec::new();
        for job in &jobs {
            let (Some(user), Some(templates)) =
                (users.get(&job.user_id), templates.get(job.trigger.as_str()))
            else {
                continue;
            };
            emails.extend(job.emails(&tx, user, templates).await?);
        }
        jobs::enqueue_all(&tx, &emails).await?;
        brokercrm_store::db::commit(tx).await
    }

    /// E-mails of different events go out in any order.
    fn in_any_order(&self) -> bool {
        true
    }
}

impl TriggerEmails {
    /// The e-mails of this event to `user`: each of `templates` (the trigger's enabled ones)
    /// whose conditions the user matches, rendered (the wallets read on `conn` when a
    /// condition needs them).
    async fn emails<C: ConnectionTrait>(
        &self,
        conn: &C,
        user: &UserRow,
        templates: &[TemplateRow],
    ) -> Result<Vec<TemplatedEmail>> {
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
        let mut emails = Vec::new();
        for t in templates {
            let cond: Conditions = serde_json::from_str(&t.conditions).unwrap_or_default();
            if cond.needs_wallets() && !wallets_read {
                for (demo, group) in wallets::books_and_groups(conn, user.id).await? {
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
                Ok(r) => emails.push(TemplatedEmail {
                    key: Some(format!("{}:{}:{}", self.event_key, t.uuid, user.id)),
                    to: user.email.clone(),
                    subject: r.subject,
                    text: r.text,
                    html: r.html,
                }),
                // A stored template that no longer renders is skipped, not retried forever.
                Err(e) => {
                    tracing::warn!(template = %t.uuid, error = %e.public_message(), "template not rendered")
                }
            }
        }
        Ok(emails)
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
