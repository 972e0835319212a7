//! Comments on a lead, its communications log, and e-mail to a lead. A lead comment is a
//! communication of kind `comment` (direction `internal`); an e-mail is queued for the
//! configured provider and recorded as an outbound `email` communication, which moves the
//! lead's `lastContactAt`, all in one transaction.

use brokercrm_core::sales::{CommunicationKind, Direction};
use brokercrm_core::validate::text;
use brokercrm_core::{Error, Result};
use brokercrm_store::db::{commit, now};
use brokercrm_store::repo::sales::communications::{self as repo, CommunicationRow};
use chrono::{DateTime, Utc};
use serde::Serialize;

use super::lead_in_scope;
use crate::platform::audit::{self, Audit};
use crate::platform::email::{self, SendEmail};
use crate::sales::comments::MAX_COMMENT;
use crate::sales::communications::{self, CommunicationView, Record};
use crate::sales::{Page, Person, people};
use crate::{App, Principal};

/// Longest e-mail subject and body.
pub const MAX_SUBJECT: usize = 255;
pub const MAX_BODY: usize = 20_000;

/// A comment on a lead.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = LeadCommentDto)]
pub struct LeadCommentView {
    pub id: String,
    #[schema(example = "Call back after 6pm")]
    pub comment: String,
    /// Public id of the lead.
    pub lead_id: String,
    pub author: Option<Person>,
    pub created_at: DateTime<Utc>,
}

fn comment_view(r: CommunicationRow, lead: &str, author: Option<Person>) -> LeadCommentView {
    LeadCommentView {
        id: r.uuid,
        comment: r.body.unwrap_or_default(),
        lead_id: lead.to_owned(),
        author,
        created_at: r.occurred_at,
    }
}

fn author(actor: &Principal) -> i64 {
    actor.impersonated_by.unwrap_or(actor.user_id)
}

/// "Create comment on lead": 1-5000 characters. Audited.
pub async fn create_comment(
    app: &App,
    actor: &Principal,
    uuid: &str,
    comment: Option<&str>,
) -> Result<LeadCommentView> {
    let body = text("comment", comment.unwrap_or(""), MAX_COMMENT)?;
    let tx = app.db().begin_write().await?;
    let (lead, _, _) = lead_in_scope(&tx, actor, uuid).await?;
    let by = author(actor);
    let row = communications::record(
        &tx,
        Record {
            customer_id: lead.customer_id,
            crm_lead_id: Some(lead.id),
            kind: CommunicationKind::Comment,
            direction: Direction::Internal,
            subject: None,
            body: Some(body),
            duration_secs: None,
            recording_url: None,
            provider: None,
            external_id: None,
            author_id: Some(by),
            occurred_at: now(),
        },
    )
    .await?;
    let who = people(&tx, &[by]).await?.remove(&by);
    let v = comment_view(row, &lead.uuid, who);
    audit::record(
        &tx,
        Some(actor),
        Audit::new("lead.comment", "lead", lead.uuid.clone())
            .details(format!("comment on lead {}", lead.uuid))
            .after(&v),
    )
    .await?;
    commit(tx).await?;
    Ok(v)
}

/// "List comments on lead": a page, newest first.
pub async fn list_comments(
    app: &App,
    actor: &Principal,
    uuid: &str,
    page: Page,
) -> Result<Vec<LeadCommentView>> {
    let conn = app.db().conn();
    let (lead, _, _) = lead_in_scope(conn, actor, uuid).await?;
    let (rows, _) =
        repo::list_for_lead(conn, lead.id, Some("comment"), page.offset, page.limit).await?;
    let who = people(conn, &rows.iter().filter_map(|r| r.author_id).collect::<Vec<_>>()).await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let a = r.author_id.and_then(|a| who.get(&a).cloned());
            comment_view(r, &lead.uuid, a)
        })
        .collect())
}

/// "List communications related to lead": a page, newest first, and the total.
pub async fn list_communications(
    app: &App,
    actor: &Principal,
    uuid: &str,
    page: Page,
) -> Result<(Vec<CommunicationView>, u64)> {
    let conn = app.db().conn();
    let (lead, _, _) = lead_in_scope(conn, actor, uuid).await?;
    let (rows, total) = repo::list_for_lead(conn, lead.id, None, page.offset, page.limit).await?;
    Ok((communications::views(conn, rows).await?, total))
}

/// "Send email to lead": queued for the configured e-mail provider (delivered by the job
/// runner, retried on failure) and recorded as an outbound e-mail. Audited.
pub async fn send_email(
    app: &App,
    actor: &Principal,
    uuid: &str,
    subject: Option<&str>,
    body: Option<&str>,
) -> Result<()> {
    let mut v = brokercrm_core::error::Violations::new();
    let subject = v.check(text("subject", subject.unwrap_or(""), MAX_SUBJECT));
    let body = v.check(text("body", body.unwrap_or(""), MAX_BODY));
    v.finish()?;
    let (Some(subject), Some(body)) = (subject, body) else {
        return Err(Error::internal("validated fields missing"));
    };
    let tx = app.db().begin_write().await?;
    let (lead, _, _) = lead_in_scope(&tx, actor, uuid).await?;
    let to = lead
        .email
        .clone()
        .ok_or_else(|| Error::field("email", "the lead has no e-mail address"))?;
    email::queue(
        app,
        &tx,
        SendEmail { to, subject: subject.clone(), text: body.clone(), html: None },
    )
    .await?;
    let row = communications::record(
        &tx,
        Record {
            customer_id: lead.customer_id,
            crm_lead_id: Some(lead.id),
            kind: CommunicationKind::Email,
            direction: Direction::Outbound,
            subject: Some(subject.clone()),
            body: Some(body),
            duration_secs: None,
            recording_url: None,
            provider: None,
            external_id: None,
            author_id: Some(author(actor)),
            occurred_at: now(),
        },
    )
    .await?;
    audit::record(
        &tx,
        Some(actor),
        Audit::new("lead.email", "lead", lead.uuid.clone())
            .details(format!("e-mail \"{subject}\" to lead {}", lead.uuid))
            .after(&serde_json::json!({ "communicationId": row.uuid, "subject": subject })),
    )
    .await?;
    commit(tx).await
}
