//! Comments on customers, newest first.

use brokercrm_core::Result;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};

use crate::db::now;
use crate::entities::customer_comments::{self as cc, Entity as Comment};
use crate::error::DbResultExt;

pub use crate::entities::customer_comments::Model as CommentRow;

pub async fn insert<C: ConnectionTrait>(
    conn: &C,
    uuid: &str,
    customer_id: i64,
    author_id: i64,
    body: &str,
) -> Result<CommentRow> {
    let t = now();
    cc::ActiveModel {
        uuid: Set(uuid.to_owned()),
        customer_id: Set(customer_id),
        author_id: Set(Some(author_id)),
        body: Set(body.to_owned()),
        created_at: Set(t),
        updated_at: Set(t),
        ..Default::default()
    }
    .insert(conn)
    .await
    .db()
}

/// One page of a customer's comments, newest first (ties by id, newest first).
pub async fn list<C: ConnectionTrait>(
    conn: &C,
    customer_id: i64,
    offset: u64,
    limit: u64,
) -> Result<Vec<CommentRow>> {
    Comment::find()
        .filter(cc::Column::CustomerId.eq(customer_id))
        .order_by_desc(cc::Column::CreatedAt)
        .order_by_desc(cc::Column::Id)
        .offset(offset)
        .limit(limit)
        .all(conn)
        .await
        .db()
}
