//! The communications log: calls, e-mails, SMS and comments with a customer or a CRM lead.
//! Writers (comments now; calls, e-mails and SMS later) append; the API reads it newest
//! first.

use brokercrm_core::Result;
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};

use crate::db::now;
use crate::entities::communications::{self as cm, Entity as Communication};
use crate::error::DbResultExt;

pub use crate::entities::communications::Model as CommunicationRow;

/// A communication to append. `kind` and `direction` are validated by the caller.
#[derive(Debug, Clone, Default)]
pub struct NewCommunication {
    pub uuid: String,
    pub customer_id: Option<i64>,
    pub crm_lead_id: Option<i64>,
    pub kind: String,
    pub direction: String,
    pub subject: Option<String>,
    pub body: Option<String>,
    pub duration_secs: Option<i32>,
    pub recording_url: Option<String>,
    /// With `external_id`: the provider's event id; unique together (redelivery is a
    /// `Conflict`).
    pub provider: Option<String>,
    pub external_id: Option<String>,
    pub author_id: Option<i64>,
    pub occurred_at: DateTime<Utc>,
}

pub async fn insert<C: ConnectionTrait>(conn: &C, n: NewCommunication) -> Result<CommunicationRow> {
    cm::ActiveModel {
        uuid: Set(n.uuid),
        customer_id: Set(n.customer_id),
        crm_lead_id: Set(n.crm_lead_id),
        kind: Set(n.kind),
        direction: Set(n.direction),
        subject: Set(n.subject),
        body: Set(n.body),
        duration_secs: Set(n.duration_secs),
        recording_url: Set(n.recording_url),
        provider: Set(n.provider),
        external_id: Set(n.external_id),
        author_id: Set(n.author_id),
        occurred_at: Set(n.occurred_at),
        created_at: Set(now()),
        ..Default::default()
    }
    .insert(conn)
    .await
    .db()
}

/// One page of a customer's communications, newest first (ties by id), and the total.
pub async fn list_for_customer<C: ConnectionTrait>(
    conn: &C,
    customer_id: i64,
    offset: u64,
    limit: u64,
) -> Result<(Vec<CommunicationRow>, u64)> {
    let q = Communication::find().filter(cm::Column::CustomerId.eq(customer_id));
    let total = q.clone().count(conn).await.db()?;
    let rows = q
        .order_by_desc(cm::Column::OccurredAt)
        .order_by_desc(cm::Column::Id)
        .offset(offset)
        .limit(limit)
        .all(conn)
        .await
        .db()?;
    Ok((rows, total))
}

/// One page of a CRM lead's communications (only `kind` when given), newest first (ties by
/// id), and the total.
pub async fn list_for_lead<C: ConnectionTrait>(
    conn: &C,
    crm_lead_id: i64,
    kind: Option<&str>,
    offset: u64,
    limit: u64,
) -> Result<(Vec<CommunicationRow>, u64)> {
    let mut q = Communication::find().filter(cm::Column::CrmLeadId.eq(crm_lead_id));
    if let Some(k) = kind {
        q = q.filter(cm::Column::Kind.eq(k));
    }
    let total = q.clone().count(conn).await.db()?;
    let rows = q
        .order_by_desc(cm::Column::OccurredAt)
        .order_by_desc(cm::Column::Id)
        .offset(offset)
        .limit(limit)
        .all(conn)
        .await
        .db()?;
    Ok((rows, total))
}

/// Who a last contact is looked up for.
#[derive(Debug, Clone, Copy)]
pub enum Contact {
    Customer(i64),
    Lead(i64),
}

/// When the customer or CRM lead was last contacted: the newest call, e-mail or SMS in the
/// communications log (comments are internal and do not count).
pub async fn last_contact_at<C: ConnectionTrait>(
    conn: &C,
    who: Contact,
) -> Result<Option<DateTime<Utc>>> {
    let q = match who {
        Contact::Customer(id) => Communication::find().filter(cm::Column::CustomerId.eq(id)),
        Contact::Lead(id) => Communication::find().filter(cm::Column::CrmLeadId.eq(id)),
    };
    let row = q
        .filter(cm::Column::Kind.ne("comment"))
        .order_by_desc(cm::Column::OccurredAt)
        .order_by_desc(cm::Column::Id)
        .one(conn)
        .await
        .db()?;
    Ok(row.map(|r| r.occurred_at))
}

/// The newest comment and the newest other contact (call, e-mail, SMS) of a customer.
pub async fn last_contacts<C: ConnectionTrait>(
    conn: &C,
    customer_id: i64,
) -> Result<(Option<DateTime<Utc>>, Option<DateTime<Utc>>)> {
    let newest = |comment: bool| {
        let q = Communication::find().filter(cm::Column::CustomerId.eq(customer_id));
        let q = if comment {
            q.filter(cm::Column::Kind.eq("comment"))
        } else {
            q.filter(cm::Column::Kind.ne("comment"))
        };
        q.order_by_desc(cm::Column::OccurredAt).limit(1)
    };
    let c = newest(true).one(conn).await.db()?.map(|r| r.occurred_at);
    let o = newest(false).one(conn).await.db()?.map(|r| r.occurred_at);
    Ok((c, o))
}
