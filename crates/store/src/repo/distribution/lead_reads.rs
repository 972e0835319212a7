//! Read access to distribution leads for staff: filtered pages (newest first), one lead, its
//! routing trace (lead events in order) and its conversions.

use brokercrm_core::Result;
use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::entities::conversions::{self, Entity as Conversion};
use crate::entities::lead_events::{self, Entity as LeadEvent};
use crate::entities::leads::{self, Entity as Lead};
use crate::error::DbResultExt;

pub use crate::entities::conversions::Model as ConversionRow;
pub use crate::entities::lead_events::Model as LeadEventRow;
pub use crate::entities::leads::Model as LeadRow;

/// Filters of a lead list; all optional.
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

/// One page of leads, newest first (ties by id).
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

pub async fn find_by_uuid<C: ConnectionTrait>(conn: &C, uuid: &str) -> Result<Option<LeadRow>> {
    Lead::find().filter(leads::Column::Uuid.eq(uuid)).one(conn).await.db()
}

/// The lead's routing trace in order.
pub async fn events<C: ConnectionTrait>(conn: &C, lead_id: i64) -> Result<Vec<LeadEventRow>> {
    LeadEvent::find()
        .filter(lead_events::Column::LeadId.eq(lead_id))
        .order_by_asc(lead_events::Column::Seq)
        .all(conn)
        .await
        .db()
}

/// The lead's conversions, oldest first.
pub async fn conversions<C: ConnectionTrait>(conn: &C, lead_id: i64) -> Result<Vec<ConversionRow>> {
    Conversion::find()
        .filter(conversions::Column::LeadId.eq(lead_id))
        .order_by_asc(conversions::Column::Id)
        .all(conn)
        .await
        .db()
}
