//! Entity for the `md_accounts` table: market-data accounts of an application: e-mail, wizard data, status, credentials.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "md_accounts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub uuid: String,
    pub application_id: i64,
    pub email: String,
    pub metadata: String,
    pub allowed_statuses: String,
    pub subscriber_status: Option<String>,
    pub personal: Option<String>,
    pub profile_completed_at: Option<DateTimeUtc>,
    pub login: Option<String>,
    pub password_hash: Option<String>,
    pub customer_user_id: Option<i64>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
