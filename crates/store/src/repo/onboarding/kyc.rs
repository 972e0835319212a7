//! KYC through SumSub: each customer's applicant and last applied review, and the webhook
//! events received (unique by body digest: a replay is recognised, never applied twice).

use brokercrm_core::Result;
use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

use crate::db::now;
use crate::entities::kyc_applicants::{self as ka, Entity as Applicant};
use crate::entities::kyc_webhook_events::{self as ke, Entity as WebhookEvent};
use crate::error::DbResultExt;

pub use crate::entities::kyc_applicants::Model as ApplicantRow;
pub use crate::entities::kyc_webhook_events::Model as WebhookEventRow;

/// The applicant row of `user_id`.
pub async fn applicant<C: ConnectionTrait>(conn: &C, user_id: i64) -> Result<Option<ApplicantRow>> {
    Applicant::find_by_id(user_id).one(conn).await.db()
}

/// Stores the applicant row (insert or update).
pub async fn save_applicant<C: ConnectionTrait>(conn: &C, row: ApplicantRow) -> Result<()> {
    let exists = Applicant::find_by_id(row.user_id).one(conn).await.db()?.is_some();
    let am = ka::ActiveModel {
        user_id: Set(row.user_id),
        applicant_id: Set(row.applicant_id),
        last_event_at: Set(row.last_event_at),
        review_answer: Set(row.review_answer),
        reject_type: Set(row.reject_type),
        updated_at: Set(now()),
    };
    if exists {
        am.update(conn).await.db()?
    } else {
        am.insert(conn).await.db()?
    };
    Ok(())
}

/// A webhook event to record.
#[derive(Debug, Clone)]
pub struct NewWebhookEvent {
    pub body_digest: String,
    pub event_type: String,
    pub applicant_id: Option<String>,
    pub user_id: Option<i64>,
    pub event_at: Option<DateTime<Utc>>,
    pub outcome: String,
}

/// The event already received with this body digest.
pub async fn event_by_digest<C: ConnectionTrait>(
    conn: &C,
    digest: &str,
) -> Result<Option<WebhookEventRow>> {
    WebhookEvent::find().filter(ke::Column::BodyDigest.eq(digest)).one(conn).await.db()
}

/// Records an event (the unique digest makes a concurrent replay fail with `Conflict`).
pub async fn insert_event<C: ConnectionTrait>(conn: &C, e: NewWebhookEvent) -> Result<()> {
    ke::ActiveModel {
        body_digest: Set(e.body_digest),
        event_type: Set(e.event_type),
        applicant_id: Set(e.applicant_id),
        user_id: Set(e.user_id),
        event_at: Set(e.event_at),
        outcome: Set(e.outcome),
        received_at: Set(now()),
        ..Default::default()
    }
    .insert(conn)
    .await
    .db()
    .map(|_| ())
}
