//! Entity for the `voip_calls` table: calls started by agents through the VoIP provider.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "voip_calls")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub uuid: String,
    pub provider: String,
    pub customer_id: Option<i64>,
    pub crm_lead_id: Option<i64>,
    pub agent_user_id: Option<i64>,
    pub agent_ref: String,
    pub phone: String,
    pub status: String,
    pub provider_call_id: Option<String>,
    pub duration_secs: Option<i32>,
    pub recording_url: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
