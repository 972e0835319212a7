//! Entity for the `payment_requests` table: one deposit or withdrawal through a payment
//! provider; `id` is the transfer id of its main ledger transfer.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "payment_requests")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub kind: String,
    pub status: String,
    pub user_id: i64,
    pub wallet_id: i64,
    pub provider: String,
    pub currency: String,
    /// Minor units (10^-8).
    pub amount: i64,
    pub final_amount: Option<i64>,
    pub wallet_address: Option<String>,
    pub comment: Option<String>,
    pub reviewer_id: Option<i64>,
    pub reviewed_at: Option<DateTimeUtc>,
    pub external_id: Option<String>,
    pub payout_status: Option<String>,
    pub payout_method: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
