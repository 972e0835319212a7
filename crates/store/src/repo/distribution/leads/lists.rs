//! Lists of leads: the staff list (filtered, newest first) and an affiliate's own leads
//! (free-text search, with the total).

use brokercrm_core::Result;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
};

use crate::entities::leads::{self, Entity as Lead, Model as LeadRow};
use crate::error::DbResultExt;

/// Filters of the staff lead list; all optional.
#[derive(Debug, Clone, Default)]
pub struct LeadFilter {
    pub status: Option<String>,
    pub affiliate_id: Option<i64>,
    pub advertiser_id: Option<i64>,
    /// Created at or after.
    pub created_from: Option<DateTime<Utc>>,
    /// Created before.
    pub created_to: Option<DateTime<Utc>>,
}

/// One page of leads for staff, newest first (ties by id).
pub async fn list<C: ConnectionTrait>(
    conn: &C,
    f: &LeadFilter,
    offset: u64,
    limit: u64,
) -> Result<Vec<LeadRow>> {
    let mut q = Lead::find();
    if let Some(s) = &f.status {
        q = q.filter(leads::Column::Status.eq(s.as_str()));
    }
    if let Some(a) = f.affiliate_id {
        q = q.filter(leads::Column::AffiliateId.eq(a));
    }
    if let Some(a) = f.advertiser_id {
        q = q.filter(leads::Column::AdvertiserId.eq(a));
    }
    if let Some(t) = f.created_from {
        q = q.filter(leads::Column::CreatedAt.gte(t));
    }
    if let Some(t) = f.created_to {
        q = q.filter(leads::Column::CreatedAt.lt(t));
    }
    q.order_by_desc(leads::Column::CreatedAt)
        .order_by_desc(leads::Column::Id)
        .offset(offset)
        .limit(limit)
        .all(conn)
        .await
        .db()
}

/// Filters of an affiliate's own lead list.
#[derive(Debug, Clone, Default)]
pub struct AffiliateLeadFilter {
    pub affiliate_id: i64,
    pub created_from: Option<DateTime<Utc>>,
    pub created_to: Option<DateTime<Utc>>,
    pub is_test: Option<bool>,
    /// Free text over email, names and phone.
    pub query: Option<String>,
}

/// One page of an affiliate's leads, newest first.
pub async fn list_for_affiliate<C: ConnectionTrait>(
    conn: &C,
    f: &AffiliateLeadFilter,
    offset: u64,
    limit: u64,
) -> Result<(Vec<LeadRow>, u64)> {
    let mut cond = Condition::all().add(leads::Column::AffiliateId.eq(f.affiliate_id));
    if let Some(t) = f.created_from {
        cond = cond.add(leads::Column::CreatedAt.gte(t));
    }
    if let Some(t) = f.created_to {
        cond = cond.add(leads::Column::CreatedAt.lte(t));
    }
    if let Some(t) = f.is_test {
        cond = cond.add(leads::Column::IsTest.eq(t));
    }
    if let Some(q) = f.query.as_deref().filter(|q| !q.is_empty()) {
        let like = format!("%{}%", q.replace(['%', '_'], ""));
        cond = cond.add(
            Condition::any()
                .add(Expr::col(leads::Column::Email).like(like.clone()))
                .add(Expr::col(leads::Column::FirstName).like(like.clone()))
                .add(Expr::col(leads::Column::LastName).like(like.clone()))
                .add(Expr::col(leads::Column::Phone).like(like)),
        );
    }
    let total = Lead::find().filter(cond.clone()).count(conn).await.db()?;
    let rows = Lead::find()
        .filter(cond)
        .order_by_desc(leads::Column::CreatedAt)
        .order_by_desc(leads::Column::Id)
        .offset(offset)
        .limit(limit)
        .all(conn)
        .await
        .db()?;
    Ok((rows, total))
}
