//! Inbox messages, one row per recipient.

use brokercrm_core::Result;
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};

use crate::db::now;
use crate::entities::messages::{self as m, Entity as Message};
use crate::error::DbResultExt;

pub use crate::entities::messages::Model as MessageRow;

/// A message to write.
#[derive(Debug, Clone)]
pub struct NewMessage {
    pub sender_id: Option<i64>,
    pub recipient_id: i64,
    pub group_message_id: Option<i64>,
    pub subject: String,
    pub text: String,
    pub via_push: bool,
}

fn active(n: NewMessage, t: chrono::DateTime<chrono::Utc>) -> m::ActiveModel {
    m::ActiveModel {
        sender_id: Set(n.sender_id),
        recipient_id: Set(n.recipient_id),
        group_message_id: Set(n.group_message_id),
        subject: Set(n.subject),
        text: Set(n.text),
        via_push: Set(n.via_push),
        read_at: Set(None),
        created_at: Set(t),
        updated_at: Set(t),
        ..Default::default()
    }
}

pub async fn insert<C: ConnectionTrait>(conn: &C, n: NewMessage) -> Result<MessageRow> {
    active(n, now()).insert(conn).await.db()
}

/// Writes many in one statement; rows already there for the same group message and
/// recipient are skipped (a resumed fan-out).
pub async fn insert_many<C: ConnectionTrait>(conn: &C, list: Vec<NewMessage>) -> Result<()> {
    if list.is_empty() {
        return Ok(());
    }
    let t = now();
    Message::insert_many(list.into_iter().map(|n| active(n, t)))
        .on_conflict(
            OnConflict::columns([m::Column::GroupMessageId, m::Column::RecipientId])
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(conn)
        .await
        .db()?;
    Ok(())
}

/// The recipient's messages, newest first, and how many there are.
pub async fn of_recipient<C: ConnectionTrait>(
    conn: &C,
    recipient_id: i64,
    limit: u64,
    offset: u64,
) -> Result<(Vec<MessageRow>, u64)> {
    let q = Message::find().filter(m::Column::RecipientId.eq(recipient_id));
    let total = q.clone().count(conn).await.db()?;
    let rows = q.order_by_desc(m::Column::Id).limit(limit).offset(offset).all(conn).await.db()?;
    Ok((rows, total))
}

/// The message `id` if `recipient_id` is its recipient.
pub async fn find_of<C: ConnectionTrait>(
    conn: &C,
    id: i64,
    recipient_id: i64,
) -> Result<Option<MessageRow>> {
    Message::find_by_id(id).filter(m::Column::RecipientId.eq(recipient_id)).one(conn).await.db()
}

/// Unread messages of the recipient (index `recipient_id, read_at`).
pub async fn unread_count<C: ConnectionTrait>(conn: &C, recipient_id: i64) -> Result<u64> {
    Message::find()
        .filter(m::Column::RecipientId.eq(recipient_id))
        .filter(m::Column::ReadAt.is_null())
        .count(conn)
        .await
        .db()
}

/// Marks the message read (once: an already read message keeps its first time).
pub async fn mark_read<C: ConnectionTrait>(conn: &C, id: i64, recipient_id: i64) -> Result<()> {
    let t = now();
    Message::update_many()
        .col_expr(m::Column::ReadAt, Expr::value(t))
        .col_expr(m::Column::UpdatedAt, Expr::value(t))
        .filter(m::Column::Id.eq(id))
        .filter(m::Column::RecipientId.eq(recipient_id))
        .filter(m::Column::ReadAt.is_null())
        .exec(conn)
        .await
        .db()?;
    Ok(())
}
