//! Market-data feeds: name (unique regardless of case), QD filters (JSON array), the rules of
//! activation and the agreement a subscriber signs.

use brokercrm_core::Result;
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, QuerySelect, Set,
};

use crate::entities::md_feeds::{self as t, Column as Col, Entity as Feeds};
use crate::error::DbResultExt;

pub use crate::entities::md_feeds::Model as FeedRow;

/// The fields of a feed as written.
#[derive(Debug, Clone)]
pub struct FeedFields {
    pub name: String,
    pub qd_filters: String,
    pub needs_confirmation: bool,
    pub single_use: bool,
    pub allowed_statuses: String,
    pub default_days: Option<i32>,
    pub agreement_title: String,
    pub agreement_text: String,
    pub agreement_version: String,
}

/// The key that makes names unique: trimmed and upper-cased (feed names are upper case).
pub fn key_of(name: &str) -> String {
    name.trim().to_uppercase()
}

pub async fn insert<C: ConnectionTrait>(
    conn: &C,
    f: FeedFields,
    at: DateTime<Utc>,
) -> Result<FeedRow> {
    t::ActiveModel {
        name_key: Set(key_of(&f.name)),
        name: Set(f.name),
        qd_filters: Set(f.qd_filters),
        needs_confirmation: Set(f.needs_confirmation),
        single_use: Set(f.single_use),
        allowed_statuses: Set(f.allowed_statuses),
        default_days: Set(f.default_days),
        agreement_title: Set(f.agreement_title),
        agreement_text: Set(f.agreement_text),
        agreement_version: Set(f.agreement_version),
        created_at: Set(at),
        updated_at: Set(at),
        ..Default::default()
    }
    .insert(conn)
    .await
    .db()
}

pub async fn update<C: ConnectionTrait>(
    conn: &C,
    row: FeedRow,
    f: FeedFields,
    at: DateTime<Utc>,
) -> Result<FeedRow> {
    let mut m = row.into_active_model();
    m.name_key = Set(key_of(&f.name));
    m.name = Set(f.name);
    m.qd_filters = Set(f.qd_filters);
    m.needs_confirmation = Set(f.needs_confirmation);
    m.single_use = Set(f.single_use);
    m.allowed_statuses = Set(f.allowed_statuses);
    m.default_days = Set(f.default_days);
    m.agreement_title = Set(f.agreement_title);
    m.agreement_text = Set(f.agreement_text);
    m.agreement_version = Set(f.agreement_version);
    m.updated_at = Set(at);
    m.update(conn).await.db()
}

pub async fn find_by_id<C: ConnectionTrait>(conn: &C, id: i64) -> Result<Option<FeedRow>> {
    Feeds::find_by_id(id).one(conn).await.db()
}

/// Feeds whose names (any case) are in `names`.
pub async fn find_by_names<C: ConnectionTrait>(conn: &C, names: &[String]) -> Result<Vec<FeedRow>> {
    let keys: Vec<String> = names.iter().map(|n| key_of(n)).collect();
    Feeds::find().filter(Col::NameKey.is_in(keys)).all(conn).await.db()
}

pub async fn find_by_ids<C: ConnectionTrait>(conn: &C, ids: &[i64]) -> Result<Vec<FeedRow>> {
    Feeds::find().filter(Col::Id.is_in(ids.to_vec())).all(conn).await.db()
}

pub async fn list<C: ConnectionTrait>(conn: &C, offset: u64, limit: u64) -> Result<Vec<FeedRow>> {
    Feeds::find().order_by_asc(Col::Id).offset(offset).limit(limit).all(conn).await.db()
}

pub async fn delete<C: ConnectionTrait>(conn: &C, id: i64) -> Result<()> {
    Feeds::delete_by_id(id).exec(conn).await.db().map(|_| ())
}
