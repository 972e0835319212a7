//! Advertisers (brands): how leads reach them (kind + JSON config), time-out, traffic filter
//! and the hash of their postback secret.

use brokercrm_core::Result;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};

use crate::db::now;
use crate::entities::advertisers::{self, Entity as Advertiser};
use crate::error::DbResultExt;

pub use crate::entities::advertisers::Model as AdvertiserRow;

/// The mutable part of an advertiser (everything but the postback secret).
#[derive(Debug, Clone)]
pub struct AdvertiserData {
    pub name: String,
    pub kind: String,
    /// JSON object.
    pub config: String,
    pub active: bool,
    pub timeout_ms: i32,
    pub require_auto_login: bool,
    pub require_external_id: bool,
    /// JSON `TrafficFilter`, or `None`.
    pub traffic_filter: Option<String>,
}

pub async fn insert<C: ConnectionTrait>(
    conn: &C,
    uuid: &str,
    d: AdvertiserData,
) -> Result<AdvertiserRow> {
    let t = now();
    advertisers::ActiveModel {
        uuid: Set(uuid.to_owned()),
        name: Set(d.name),
        kind: Set(d.kind),
        config: Set(d.config),
        active: Set(d.active),
        timeout_ms: Set(d.timeout_ms),
        require_auto_login: Set(d.require_auto_login),
        require_external_id: Set(d.require_external_id),
        traffic_filter: Set(d.traffic_filter),
        postback_secret_hash: Set(None),
        created_at: Set(t),
        updated_at: Set(t),
        ..Default::default()
    }
    .insert(conn)
    .await
    .db()
}

/// Replaces the mutable fields of advertiser `id`.
pub async fn update<C: ConnectionTrait>(conn: &C, id: i64, d: AdvertiserData) -> Result<()> {
    Advertiser::update_many()
        .col_expr(advertisers::Column::Name, Expr::value(d.name))
        .col_expr(advertisers::Column::Kind, Expr::value(d.kind))
        .col_expr(advertisers::Column::Config, Expr::value(d.config))
        .col_expr(advertisers::Column::Active, Expr::value(d.active))
        .col_expr(advertisers::Column::TimeoutMs, Expr::value(d.timeout_ms))
        .col_expr(advertisers::Column::RequireAutoLogin, Expr::value(d.require_auto_login))
        .col_expr(advertisers::Column::RequireExternalId, Expr::value(d.require_external_id))
        .col_expr(advertisers::Column::TrafficFilter, Expr::value(d.traffic_filter))
        .col_expr(advertisers::Column::UpdatedAt, Expr::value(now()))
        .filter(advertisers::Column::Id.eq(id))
        .exec(conn)
        .await
        .db()
        .map(|_| ())
}

/// Stores the SHA-256 hash of a new postback secret.
pub async fn set_postback_secret_hash<C: ConnectionTrait>(
    conn: &C,
    id: i64,
    hash: &str,
) -> Result<()> {
    Advertiser::update_many()
        .col_expr(advertisers::Column::PostbackSecretHash, Expr::value(hash))
        .col_expr(advertisers::Column::UpdatedAt, Expr::value(now()))
        .filter(advertisers::Column::Id.eq(id))
        .exec(conn)
        .await
        .db()
        .map(|_| ())
}

pub async fn find_by_uuid<C: ConnectionTrait>(
    conn: &C,
    uuid: &str,
) -> Result<Option<AdvertiserRow>> {
    Advertiser::find().filter(advertisers::Column::Uuid.eq(uuid)).one(conn).await.db()
}

pub async fn find_by_id<C: ConnectionTrait>(conn: &C, id: i64) -> Result<Option<AdvertiserRow>> {
    Advertiser::find_by_id(id).one(conn).await.db()
}

/// Advertisers with these ids (any order).
pub async fn find_by_ids<C: ConnectionTrait>(conn: &C, ids: &[i64]) -> Result<Vec<AdvertiserRow>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Advertiser::find().filter(advertisers::Column::Id.is_in(ids.to_vec())).all(conn).await.db()
}

/// Advertisers with these public ids (any order; unknown ones are missing).
pub async fn find_by_uuids<C: ConnectionTrait>(
    conn: &C,
    uuids: &[String],
) -> Result<Vec<AdvertiserRow>> {
    if uuids.is_empty() {
        return Ok(Vec::new());
    }
    Advertiser::find().filter(advertisers::Column::Uuid.is_in(uuids.to_vec())).all(conn).await.db()
}

/// One page, by id.
pub async fn list<C: ConnectionTrait>(
    conn: &C,
    offset: u64,
    limit: u64,
) -> Result<Vec<AdvertiserRow>> {
    Advertiser::find()
        .order_by_asc(advertisers::Column::Id)
        .offset(offset)
        .limit(limit)
        .all(conn)
        .await
        .db()
}

/// Deletes an advertiser; its rotation entries and caps cascade, leads keep their history
/// (their reference is set to null).
pub async fn delete<C: ConnectionTrait>(conn: &C, id: i64) -> Result<()> {
    Advertiser::delete_by_id(id).exec(conn).await.db().map(|_| ())
}
