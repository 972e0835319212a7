//! Entity for the `commission_records` table: the commission ledger, one record per (event,
//! kind, beneficiary, level), each posted as a ledger transfer.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "commission_records")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub introducer_id: i64,
    pub referral_id: i64,
    pub level: i16,
    pub commission_type: String,
    pub action_type: String,
    pub action_details: String,
    pub source_key: String,
    pub amount: i64,
    pub corrected_amount: Option<i64>,
    pub currency: String,
    pub transfer_id: String,
    pub action_at: DateTimeUtc,
    pub payout_request_id: Option<i64>,
    pub payout_at: Option<DateTimeUtc>,
    pub admin_id: Option<i64>,
    pub admin_comments: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// The ledger transfer of the event that earned the record (the deposit or the close).
    pub event_id: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
