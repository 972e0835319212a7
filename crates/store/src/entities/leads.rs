//! Entity for the `leads` table: leads pushed by affiliates and lead providers, with their routing state and outcome.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "leads")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub uuid: String,
    pub affiliate_id: i64,
    pub token_id: Option<i64>,
    pub channel: String,
    pub offer_id: Option<i64>,
    pub advertiser_id: Option<i64>,
    pub status: String,
    pub error_type: Option<String>,
    pub error_message: Option<String>,
    pub ip: String,
    pub country: Option<String>,
    pub language: Option<String>,
    pub is_test: bool,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    /// Every lead-profile key as a JSON object of strings.
    pub profile: String,
    pub external_id: Option<String>,
    pub auto_login_url: Option<String>,
    /// While routing: until when the routing process owns the lead.
    pub lease_until: Option<DateTimeUtc>,
    pub deadline_at: DateTimeUtc,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
