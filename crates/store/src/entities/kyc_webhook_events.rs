//! Entity for the `kyc_webhook_events` table: every verified SumSub webhook, by body digest.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "kyc_webhook_events")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// SHA-256 (hex) of the raw body.
    pub body_digest: String,
    pub event_type: String,
    pub applicant_id: Option<String>,
    pub user_id: Option<i64>,
    pub event_at: Option<DateTimeUtc>,
    /// `applied`, `stale` (older than the last applied), `ignored` or `unknown_user`.
    pub outcome: String,
    pub received_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
