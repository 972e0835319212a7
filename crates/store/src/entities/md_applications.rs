//! Entity for the `md_applications` table: market-data applications (seed 003), their hashed API key and rules.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "md_applications")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub uuid: String,
    pub name: String,
    pub key_prefix: String,
    pub key_hash: String,
    pub credentials_enabled: bool,
    pub confirmation_required: bool,
    pub cancel_mode: String,
    pub allowed_statuses: String,
    pub success_redirect_url: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub revoked_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
