//! A customer's uploaded documents (metadata; the bytes are in the FileStore). Onboarding owns
//! the table; sales re-exports this module for its staff views.

use brokercrm_core::Result;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};

use crate::db::now;
use crate::entities::customer_documents::{self as cd, Entity as Document};
use crate::error::DbResultExt;

pub use crate::entities::customer_documents::Model as DocumentRow;

/// Most documents listed for one customer.
pub const MAX_LISTED: u64 = 500;

/// A document to record.
#[derive(Debug, Clone)]
pub struct NewDocument {
    pub uuid: String,
    pub customer_id: i64,
    pub file_key: String,
    pub filename: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub uploaded_by: Option<i64>,
}

pub async fn insert<C: ConnectionTrait>(conn: &C, d: NewDocument) -> Result<DocumentRow> {
    cd::ActiveModel {
        uuid: Set(d.uuid),
        customer_id: Set(d.customer_id),
        file_key: Set(d.file_key),
        filename: Set(d.filename),
        content_type: Set(d.content_type),
        size_bytes: Set(d.size_bytes),
        uploaded_by: Set(d.uploaded_by),
        created_at: Set(now()),
        ..Default::default()
    }
    .insert(conn)
    .await
    .db()
}

/// The customer's documents, newest first (at most [`MAX_LISTED`]).
pub async fn of_customer<C: ConnectionTrait>(
    conn: &C,
    customer_id: i64,
) -> Result<Vec<DocumentRow>> {
    Document::find()
        .filter(cd::Column::CustomerId.eq(customer_id))
        .order_by_desc(cd::Column::Id)
        .limit(MAX_LISTED)
        .all(conn)
        .await
        .db()
}

/// How many documents the customer has.
pub async fn count<C: ConnectionTrait>(conn: &C, customer_id: i64) -> Result<u64> {
    Document::find().filter(cd::Column::CustomerId.eq(customer_id)).count(conn).await.db()
}

/// The document with public id `uuid`.
pub async fn find_by_uuid<C: ConnectionTrait>(conn: &C, uuid: &str) -> Result<Option<DocumentRow>> {
    Document::find().filter(cd::Column::Uuid.eq(uuid)).one(conn).await.db()
}

/// The document with internal id `id`.
pub async fn find<C: ConnectionTrait>(conn: &C, id: i64) -> Result<Option<DocumentRow>> {
    Document::find_by_id(id).one(conn).await.db()
}
