//! Entity for the `payout_requests` table: an IB's request to be paid its available
//! commission into a wallet, reserved in the ledger until approved or rejected.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "payout_requests")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub introducer_id: i64,
    pub payout_wallet_id: i64,
    pub amount: i64,
    pub currency: String,
    pub status: String,
    pub reserve_transfer_id: String,
    pub transaction_id: Option<String>,
    pub requested_at: DateTimeUtc,
    pub approved_at: Option<DateTimeUtc>,
    pub rejected_at: Option<DateTimeUtc>,
    pub reject_reason: Option<String>,
    pub admin_id: Option<i64>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
