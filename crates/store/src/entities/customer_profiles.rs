//! Entity for the `customer_profiles` table: what a customer has beyond its `users` row
//! (referring affiliate, the affiliate's external id, notes, risk status, KYC reviewer).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "customer_profiles")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub customer_id: i64,
    pub affiliate_id: Option<i64>,
    pub external_id: Option<String>,
    pub notes: Option<String>,
    pub risk_status: Option<String>,
    pub kyc_reviewed_by: Option<i64>,
    pub kyc_reviewed_at: Option<DateTimeUtc>,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
