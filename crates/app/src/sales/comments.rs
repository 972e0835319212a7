//! Comments (seed tag Comments): staff notes on a customer in their scope. A comment is also
//! appended to the customer's communications (kind `comment`, direction `internal`).

use brokercrm_core::Result;
use brokercrm_core::sales::{CommunicationKind, Direction};
use brokercrm_core::validate::text;
use brokercrm_store::db::commit;
use brokercrm_store::repo::sales::comments::{self as repo, CommentRow};
use chrono::{DateTime, Utc};
use serde::Serialize;

use super::communications::{self, Record};
use super::{Page, Person, customer_in_scope, new_uuid, people};
use crate::platform::audit::{self, Audit};
use crate::{App, Principal};

/// Longest comment.
pub const MAX_COMMENT: usize = 5000;

/// A comment as staff see it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = CommentDto)]
pub struct CommentView {
    pub id: String,
    #[schema(example = "Asked to be called back on Monday")]
    pub comment: String,
    /// Public id of the customer.
    pub customer_id: String,
    /// `null` when the author's account was deleted.
    pub author: Option<Person>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

fn view(r: CommentRow, customer_uuid: &str, author: Option<Person>) -> CommentView {
    CommentView {
        id: r.uuid,
        comment: r.body,
        customer_id: customer_uuid.to_owned(),
        author,
        created_at: r.created_at,
        updated_at: r.updated_at,
    }
}

/// "Get comments for a customer": a page, newest first.
pub async fn list(
    app: &App,
    actor: &Principal,
    customer_uuid: &str,
    page: Page,
) -> Result<Vec<CommentView>> {
    let conn = app.db().conn();
    let customer = customer_in_scope(conn, actor, customer_uuid).await?;
    let rows = repo::list(conn, customer.id, page.offset, page.limit).await?;
    let who = people(conn, &rows.iter().filter_map(|r| r.author_id).collect::<Vec<_>>()).await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let author = r.author_id.and_then(|a| who.get(&a).cloned());
            view(r, &customer.uuid, author)
        })
        .collect())
}

/// "Create a comment for a customer": 1-5000 characters; also a communication. Audited.
pub async fn create(
    app: &App,
    actor: &Principal,
    customer_uuid: &str,
    comment: Option<&str>,
) -> Result<CommentView> {
    let body = text("comment", comment.unwrap_or(""), MAX_COMMENT)?;
    let tx = app.db().begin_write().await?;
    let customer = customer_in_scope(&tx, actor, customer_uuid).await?;
    let author_id = actor.impersonated_by.unwrap_or(actor.user_id);
    let row = repo::insert(&tx, &new_uuid(), customer.id, author_id, &body).await?;
    communications::record(
        &tx,
        Record {
            customer_id: Some(customer.id),
            crm_lead_id: None,
            kind: CommunicationKind::Comment,
            direction: Direction::Internal,
            subject: None,
            body: Some(body),
            duration_secs: None,
            recording_url: None,
            provider: None,
            external_id: None,
            author_id: Some(author_id),
            occurred_at: row.created_at,
        },
    )
    .await?;
    let author = people(&tx, &[author_id]).await?.remove(&author_id);
    let v = view(row, &customer.uuid, author);
    audit::record(
        &tx,
        Some(actor),
        Audit::new("customer.comment", "customer", customer.uuid.clone())
            .details(format!("comment on customer {}", customer.email))
            .after(&v),
    )
    .await?;
    commit(tx).await?;
    Ok(v)
}
