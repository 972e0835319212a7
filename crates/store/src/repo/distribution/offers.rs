//! Offers (funnels): what affiliates send traffic to, with their rotation mode; optionally
//! reserved for one affiliate.

use brokercrm_core::Result;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};

use crate::db::now;
use crate::entities::offers::{self, Entity as Offer};
use crate::error::DbResultExt;

pub use crate::entities::offers::Model as OfferRow;

/// The mutable part of an offer.
#[derive(Debug, Clone)]
pub struct OfferData {
    pub name: String,
    /// Owner affiliate (user id); `None`: open to every affiliate.
    pub affiliate_id: Option<i64>,
    pub rotation_mode: String,
    pub lead_source: Option<String>,
    pub funnel_name: Option<String>,
    pub funnel_url: Option<String>,
    pub funnel_language: Option<String>,
    pub active: bool,
}

pub async fn insert<C: ConnectionTrait>(conn: &C, uuid: &str, d: OfferData) -> Result<OfferRow> {
    let t = now();
    offers::ActiveModel {
        uuid: Set(uuid.to_owned()),
        name: Set(d.name),
        affiliate_id: Set(d.affiliate_id),
        rotation_mode: Set(d.rotation_mode),
        lead_source: Set(d.lead_source),
        funnel_name: Set(d.funnel_name),
        funnel_url: Set(d.funnel_url),
        funnel_language: Set(d.funnel_language),
        active: Set(d.active),
        created_at: Set(t),
        updated_at: Set(t),
        ..Default::default()
    }
    .insert(conn)
    .await
    .db()
}

/// Replaces the mutable fields of offer `id`.
pub async fn update<C: ConnectionTrait>(conn: &C, id: i64, d: OfferData) -> Result<()> {
    Offer::update_many()
        .col_expr(offers::Column::Name, Expr::value(d.name))
        .col_expr(offers::Column::AffiliateId, Expr::value(d.affiliate_id))
        .col_expr(offers::Column::RotationMode, Expr::value(d.rotation_mode))
        .col_expr(offers::Column::LeadSource, Expr::value(d.lead_source))
        .col_expr(offers::Column::FunnelName, Expr::value(d.funnel_name))
        .col_expr(offers::Column::FunnelUrl, Expr::value(d.funnel_url))
        .col_expr(offers::Column::FunnelLanguage, Expr::value(d.funnel_language))
        .col_expr(offers::Column::Active, Expr::value(d.active))
        .col_expr(offers::Column::UpdatedAt, Expr::value(now()))
        .filter(offers::Column::Id.eq(id))
        .exec(conn)
        .await
        .db()
        .map(|_| ())
}

pub async fn find_by_uuid<C: ConnectionTrait>(conn: &C, uuid: &str) -> Result<Option<OfferRow>> {
    Offer::find().filter(offers::Column::Uuid.eq(uuid)).one(conn).await.db()
}

/// The offer affiliates address by its integer id (`offer_id`).
pub async fn find_by_id<C: ConnectionTrait>(conn: &C, id: i64) -> Result<Option<OfferRow>> {
    Offer::find_by_id(id).one(conn).await.db()
}

/// Offers with these ids (any order).
pub async fn find_by_ids<C: ConnectionTrait>(conn: &C, ids: &[i64]) -> Result<Vec<OfferRow>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Offer::find().filter(offers::Column::Id.is_in(ids.to_vec())).all(conn).await.db()
}

/// One page, by id.
pub async fn list<C: ConnectionTrait>(conn: &C, offset: u64, limit: u64) -> Result<Vec<OfferRow>> {
    Offer::find().order_by_asc(offers::Column::Id).offset(offset).limit(limit).all(conn).await.db()
}

/// Deletes an offer; rotation entries, caps and country blocks of it cascade; leads and
/// affiliate tokens keep their rows with the reference set to null.
pub async fn delete<C: ConnectionTrait>(conn: &C, id: i64) -> Result<()> {
    Offer::delete_by_id(id).exec(conn).await.db().map(|_| ())
}
