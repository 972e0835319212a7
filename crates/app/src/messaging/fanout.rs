//! Messages to many: "Send a message to all customers" and "Create group message" (to the
//! customers holding a wallet in a trading group) record one group message and queue one
//! `messaging.fan_out` job, so the request returns at once. The job writes the inbox messages
//! in batches of [`BATCH`] recipients, each batch with the group message's cursor in one
//! transaction: a job interrupted mid-way resumes after the last batch written, and the
//! unique (group message, recipient) index makes a repeated batch write nothing twice.
//!
//! The trading group is read through money's wallets (`group_id` of each wallet), the seam
//! this context already uses for template conditions; messaging does not import trading.

use brokercrm_core::{Error, Permission, Result};
use brokercrm_store::db::commit;
use brokercrm_store::repo::identity::users;
use brokercrm_store::repo::messaging::group_messages::{
    self as repo, GroupMessageRow, NewGroupMessage,
};
use brokercrm_store::repo::messaging::messages::{self, NewMessage};
use brokercrm_store::repo::money::wallets;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::send::{content, kind};
use crate::platform::audit::{self, Audit};
use crate::platform::jobs::{self, Job};
use crate::{App, Principal};

/// Recipients written per transaction.
pub const BATCH: u64 = 1000;

/// A group message as listed.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = GroupMessage)]
pub struct GroupMessageView {
    pub id: String,
    pub subject: String,
    pub text: String,
    /// `Message`.
    #[serde(rename = "type")]
    pub kind: String,
    /// `all` or `group`.
    pub target: String,
    pub target_group_id: Option<i64>,
    /// Inbox messages written so far.
    pub recipients: i64,
    /// `queued`, `sending` or `done`.
    pub status: String,
    pub created_at: DateTime<Utc>,
}

impl From<GroupMessageRow> for GroupMessageView {
    fn from(r: GroupMessageRow) -> Self {
        Self {
            id: r.id.to_string(),
            subject: r.subject,
            text: r.text,
            kind: r.kind,
            target: r.target,
            target_group_id: r.target_group_id,
            recipients: r.recipients,
            status: r.status,
            created_at: r.created_at,
        }
    }
}

/// The `messaging.fan_out` job.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FanOut {
    pub group_message_id: i64,
}

impl Job for FanOut {
    const KIND: &'static str = "messaging.fan_out";

    fn dedup_key(&self) -> Option<String> {
        Some(format!("messaging.fan_out:{}", self.group_message_id))
    }

    async fn run(self, app: App) -> Result<()> {
        loop {
            let tx = app.db().begin_write().await?;
            let Some(gm) = repo::find(&tx, self.group_message_id).await? else { return Ok(()) };
            if gm.status == "done" {
                return Ok(());
            }
            let ids = match gm.target_group_id {
                Some(g) => wallets::holders_of_group_after(&tx, g, gm.cursor, BATCH).await?,
                None => users::customer_ids_after(&tx, gm.cursor, BATCH).await?,
            };
            let last = ids.last().copied().unwrap_or(gm.cursor);
            let done = (ids.len() as u64) < BATCH;
            let written = ids.len() as i64;
            let batch = ids
                .into_iter()
                .map(|id| NewMessage {
                    sender_id: gm.sender_id,
                    recipient_id: id,
                    group_message_id: Some(gm.id),
                    subject: gm.subject.clone(),
                    text: gm.text.clone(),
                    via_push: false,
                })
                .collect();
            messages::insert_many(&tx, batch).await?;
            repo::advance(&tx, gm, last, written, done).await?;
            commit(tx).await?;
            if done {
                return Ok(());
            }
        }
    }
}

async fn start(
    app: &App,
    who: &Principal,
    subject: String,
    body: String,
    group: Option<i64>,
) -> Result<(GroupMessageView, u64)> {
    let conn = app.db().conn();
    let expected = match group {
        Some(g) => wallets::count_holders_of_group(conn, g).await?,
        None => users::count_by_role(conn, "customer").await?,
    };
    let tx = app.db().begin_write().await?;
    let row = repo::insert(
        &tx,
        NewGroupMessage {
            sender_id: Some(who.user_id),
            subject: subject.clone(),
            text: body,
            kind: "Message".into(),
            target: if group.is_some() { "group" } else { "all" }.into(),
            target_group_id: group,
        },
    )
    .await?;
    jobs::enqueue(&tx, &FanOut { group_message_id: row.id }).await?;
    let target = group.map_or("all customers".to_owned(), |g| format!("trading group {g}"));
    audit::record(
        &tx,
        Some(who),
        Audit::new("message.send_group", "group_message", row.id.to_string())
            .details(format!("message '{subject}' to {target} ({expected} customers)")),
    )
    .await?;
    commit(tx).await?;
    Ok((row.into(), expected))
}

/// "Send a message to all customers"; returns how many customers will receive it.
pub async fn to_all(app: &App, who: &Principal, subject: &str, body: &str) -> Result<u64> {
    who.require(Permission::SendMessages)?;
    let (subject, body) = content("subject", subject, "message", body)?;
    Ok(start(app, who, subject, body, None).await?.1)
}

/// "Create group message": to the customers with a wallet in trading group `group_id`.
pub async fn to_group(
    app: &App,
    who: &Principal,
    subject: &str,
    body: &str,
    kind_raw: &str,
    group_id: i64,
) -> Result<GroupMessageView> {
    who.require(Permission::SendMessages)?;
    kind(Some(kind_raw))?;
    let (subject, body) = content("subject", subject, "text", body)?;
    if group_id <= 0 {
        return Err(Error::field("targetGroupId", "must be a trading group id"));
    }
    Ok(start(app, who, subject, body, Some(group_id)).await?.0)
}

/// "Get group messages": newest first, at most 200.
pub async fn list(app: &App, who: &Principal) -> Result<Vec<GroupMessageView>> {
    who.require(Permission::SendMessages)?;
    Ok(repo::latest(app.db().conn(), 200).await?.into_iter().map(Into::into).collect())
}
