//! Communications (seed tag Communications): the log of calls, e-mails, SMS and comments with
//! a customer. Writers append through [`record`] inside their own transaction; staff read a
//! customer's log newest first.

use brokercrm_core::Result;
use brokercrm_core::sales::{CommunicationKind, Direction};
use brokercrm_store::ConnectionTrait;
use brokercrm_store::repo::sales::communications::{
    self as repo, CommunicationRow, NewCommunication,
};
use chrono::{DateTime, Utc};
use serde::Serialize;

use super::{Page, Person, customer_in_scope, new_uuid, people};
use crate::{App, Principal};

/// A communication to append.
#[derive(Debug, Clone)]
pub struct Record {
    pub customer_id: Option<i64>,
    pub crm_lead_id: Option<i64>,
    pub kind: CommunicationKind,
    pub direction: Direction,
    pub subject: Option<String>,
    /// Body of an e-mail, SMS or comment, or the summary of a call.
    pub body: Option<String>,
    pub duration_secs: Option<i32>,
    pub recording_url: Option<String>,
    /// Provider name and its event id: recorded once (a redelivery is a `Conflict`).
    pub provider: Option<String>,
    pub external_id: Option<String>,
    pub author_id: Option<i64>,
    pub occurred_at: DateTime<Utc>,
}

/// Appends a communication using `conn` (pass the writer's transaction).
///
/// A call, e-mail or SMS with a CRM lead also moves the lead's `last_contact_at` forward, in
/// the same transaction (comments are not contacts).
pub async fn record<C: ConnectionTrait>(conn: &C, r: Record) -> Result<CommunicationRow> {
    if let (Some(lead), true) = (r.crm_lead_id, r.kind != CommunicationKind::Comment) {
        brokercrm_store::repo::distribution::crm_leads::touch_contact(conn, lead, r.occurred_at)
            .await?;
    }
    repo::insert(
        conn,
        NewCommunication {
            uuid: new_uuid(),
            customer_id: r.customer_id,
            crm_lead_id: r.crm_lead_id,
            kind: r.kind.as_str().to_owned(),
            direction: r.direction.as_str().to_owned(),
            subject: r.subject,
            body: r.body,
            duration_secs: r.duration_secs,
            recording_url: r.recording_url,
            provider: r.provider,
            external_id: r.external_id,
            author_id: r.author_id,
            occurred_at: r.occurred_at,
        },
    )
    .await
}

/// One communication as staff see it (the wire shape).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = CommunicationDto)]
pub struct CommunicationView {
    pub id: String,
    /// `call`, `email`, `sms` or `comment`.
    #[serde(rename = "type")]
    #[schema(example = "call")]
    pub kind: String,
    /// `inbound`, `outbound` or `internal` (comments).
    #[schema(example = "outbound")]
    pub direction: String,
    /// E-mail subject.
    pub subject: Option<String>,
    /// E-mail, SMS or comment text, or a call's summary.
    pub body: Option<String>,
    /// Call duration in seconds.
    pub duration_seconds: Option<i32>,
    /// Call recording.
    pub recording_url: Option<String>,
    /// The staff member who made it; `null` for inbound or system entries.
    pub author: Option<Person>,
    pub occurred_at: DateTime<Utc>,
}

/// "Get customer communications": a page, newest first, and the total count.
pub async fn list(
    app: &App,
    actor: &Principal,
    customer_uuid: &str,
    page: Page,
) -> Result<(Vec<CommunicationView>, u64)> {
    let conn = app.db().conn();
    let customer = customer_in_scope(conn, actor, customer_uuid).await?;
    let (rows, total) = repo::list_for_customer(conn, customer.id, page.offset, page.limit).await?;
    Ok((views(conn, rows).await?, total))
}

/// A page of communication rows as views, their authors read in one query.
pub(crate) async fn views<C: ConnectionTrait>(
    conn: &C,
    rows: Vec<CommunicationRow>,
) -> Result<Vec<CommunicationView>> {
    let who = people(conn, &rows.iter().filter_map(|r| r.author_id).collect::<Vec<_>>()).await?;
    Ok(rows
        .into_iter()
        .map(|r| CommunicationView {
            id: r.uuid,
            kind: r.kind,
            direction: r.direction,
            subject: r.subject,
            body: r.body,
            duration_seconds: r.duration_secs,
            recording_url: r.recording_url,
            author: r.author_id.and_then(|a| who.get(&a).cloned()),
            occurred_at: r.occurred_at,
        })
        .collect())
}
