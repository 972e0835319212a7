//! Entity for the `kyc_applicants` table: a customer's SumSub applicant and its last review.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "kyc_applicants")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub user_id: i64,
    pub applicant_id: Option<String>,
    /// When the last review applied was created at SumSub (`createdAtMs`).
    pub last_event_at: Option<DateTimeUtc>,
    pub review_answer: Option<String>,
    pub reject_type: Option<String>,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
