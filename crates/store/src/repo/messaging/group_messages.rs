//! Group messages: a send to many and its fan-out's progress.

use brokercrm_core::Result;
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, QueryOrder, QuerySelect, Set};

use crate::db::now;
use crate::entities::group_messages::{self as gm, Entity as GroupMessage};
use crate::error::DbResultExt;

pub use crate::entities::group_messages::Model as GroupMessageRow;

/// A group message to record.
#[derive(Debug, Clone)]
pub struct NewGroupMessage {
    pub sender_id: Option<i64>,
    pub subject: String,
    pub text: String,
    pub kind: String,
    pub target: String,
    pub target_group_id: Option<i64>,
}

pub async fn insert<C: ConnectionTrait>(conn: &C, n: NewGroupMessage) -> Result<GroupMessageRow> {
    let t = now();
    gm::ActiveModel {
        sender_id: Set(n.sender_id),
        subject: Set(n.subject),
        text: Set(n.text),
        kind: Set(n.kind),
        target: Set(n.target),
        target_group_id: Set(n.target_group_id),
        recipients: Set(0),
        cursor: Set(0),
        status: Set("queued".into()),
        created_at: Set(t),
        updated_at: Set(t),
        ..Default::default()
    }
    .insert(conn)
    .await
    .db()
}

pub async fn find<C: ConnectionTrait>(conn: &C, id: i64) -> Result<Option<GroupMessageRow>> {
    GroupMessage::find_by_id(id).one(conn).await.db()
}

/// Newest first, at most `limit`.
pub async fn latest<C: ConnectionTrait>(conn: &C, limit: u64) -> Result<Vec<GroupMessageRow>> {
    GroupMessage::find().order_by_desc(gm::Column::Id).limit(limit).all(conn).await.db()
}

/// Records a batch's progress.
pub async fn advance<C: ConnectionTrait>(
    conn: &C,
    row: GroupMessageRow,
    cursor: i64,
    written: i64,
    done: bool,
) -> Result<GroupMessageRow> {
    let mut am: gm::ActiveModel = row.clone().into();
    am.cursor = Set(cursor);
    am.recipients = Set(row.recipients + written);
    am.status = Set(if done { "done" } else { "sending" }.into());
    am.updated_at = Set(now());
    am.update(conn).await.db()
}
