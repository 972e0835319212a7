//! The client's inbox ("List messages", "Get message by ID", "Get unread message count",
//! "Mark message as read"): only the caller's own messages; another's is 404.

use brokercrm_core::{Error, Result};
use brokercrm_store::repo::messaging::messages::{self as repo, MessageRow};
use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::{App, Principal};

/// Most messages on one page.
pub const MAX_PAGE: u64 = 100;

/// One message as its recipient (or staff) sees it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = InboxMessage)]
pub struct MessageView {
    pub id: String,
    /// The sender's account id; `null` for the system.
    pub sender_id: Option<String>,
    pub recipient_id: String,
    /// The group message it came from, if any.
    pub group_id_message: Option<String>,
    pub text: String,
    pub subject: String,
    pub read_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub via_push: bool,
}

impl From<MessageRow> for MessageView {
    fn from(m: MessageRow) -> Self {
        Self {
            id: m.id.to_string(),
            sender_id: m.sender_id.map(|s| s.to_string()),
            recipient_id: m.recipient_id.to_string(),
            group_id_message: m.group_message_id.map(|g| g.to_string()),
            text: m.text,
            subject: m.subject,
            read_at: m.read_at,
            created_at: m.created_at,
            updated_at: m.updated_at,
            via_push: m.via_push,
        }
    }
}

fn own(who: &Principal) -> Result<i64> {
    if who.user_id == 0 { Err(Error::NotFound("user")) } else { Ok(who.user_id) }
}

fn message_id(raw: &str) -> Result<i64> {
    raw.trim().parse::<i64>().map_err(|_| Error::NotFound("message"))
}

/// A page of the caller's messages, newest first, and the total.
pub async fn list(
    app: &App,
    who: &Principal,
    limit: u64,
    offset: u64,
) -> Result<(Vec<MessageView>, u64)> {
    if !(1..=MAX_PAGE).contains(&limit) {
        return Err(Error::field("limit", format!("must be from 1 to {MAX_PAGE}")));
    }
    let (rows, total) = repo::of_recipient(app.db().conn(), own(who)?, limit, offset).await?;
    Ok((rows.into_iter().map(Into::into).collect(), total))
}

/// One of the caller's messages.
pub async fn get(app: &App, who: &Principal, id: &str) -> Result<MessageView> {
    repo::find_of(app.db().conn(), message_id(id)?, own(who)?)
        .await?
        .map(Into::into)
        .ok_or(Error::NotFound("message"))
}

/// The caller's unread messages.
pub async fn unread_count(app: &App, who: &Principal) -> Result<u64> {
    repo::unread_count(app.db().conn(), own(who)?).await
}

/// Marks one of the caller's messages read (again: no change).
pub async fn mark_read(app: &App, who: &Principal, id: &str) -> Result<()> {
    let (id, me) = (message_id(id)?, own(who)?);
    let tx = app.db().begin_write().await?;
    repo::find_of(&tx, id, me).await?.ok_or(Error::NotFound("message"))?;
    repo::mark_read(&tx, id, me).await?;
    brokercrm_store::db::commit(tx).await
}
