//! A lead's routing trace: appended in order, read back for staff.

use brokercrm_core::Result;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};

use crate::db::now;
use crate::entities::lead_events::{self, Entity as LeadEvent};
use crate::error::DbResultExt;

pub use crate::entities::lead_events::Model as LeadEventRow;

/// One trace entry to append.
#[derive(Debug, Clone)]
pub struct NewEvent {
    pub seq: i32,
    pub kind: &'static str,
    pub advertiser_id: Option<i64>,
    pub error_type: Option<String>,
    pub message: Option<String>,
    pub duration_ms: Option<i32>,
}

/// Appends `events` to `lead_id`'s trace in one statement.
pub async fn append<C: ConnectionTrait>(
    conn: &C,
    lead_id: i64,
    events: Vec<NewEvent>,
) -> Result<()> {
    append_many(conn, events.into_iter().map(|e| (lead_id, e)).collect()).await
}

/// Appends trace entries of several leads in one statement.
pub async fn append_many<C: ConnectionTrait>(conn: &C, events: Vec<(i64, NewEvent)>) -> Result<()> {
    if events.is_empty() {
        return Ok(());
    }
    let at = now();
    let rows = events.into_iter().map(|(lead_id, e)| lead_events::ActiveModel {
        lead_id: Set(lead_id),
        seq: Set(e.seq),
        kind: Set(e.kind.to_owned()),
        advertiser_id: Set(e.advertiser_id),
        error_type: Set(e.error_type),
        message: Set(e.message),
        duration_ms: Set(e.duration_ms),
        created_at: Set(at),
        ..Default::default()
    });
    LeadEvent::insert_many(rows).exec_without_returning(conn).await.db().map(|_| ())
}

/// The trace of a lead, in order.
pub async fn for_lead<C: ConnectionTrait>(conn: &C, lead_id: i64) -> Result<Vec<LeadEventRow>> {
    LeadEvent::find()
        .filter(lead_events::Column::LeadId.eq(lead_id))
        .order_by_asc(lead_events::Column::Seq)
        .all(conn)
        .await
        .db()
}

/// The last trace entry of a lead, if any.
pub async fn last<C: ConnectionTrait>(conn: &C, lead_id: i64) -> Result<Option<LeadEventRow>> {
    LeadEvent::find()
        .filter(lead_events::Column::LeadId.eq(lead_id))
        .order_by_desc(lead_events::Column::Seq)
        .limit(1)
        .one(conn)
        .await
        .db()
}
