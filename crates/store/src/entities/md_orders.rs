//! Entity for the `md_orders` table: activation orders: their feeds (JSON), confirmation and wizard state.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "md_orders")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub account_id: i64,
    pub api_version: i16,
    pub items: String,
    pub confirmation_id: Option<String>,
    pub needs_confirmation: bool,
    pub confirmed_at: Option<DateTimeUtc>,
    pub signed_at: Option<DateTimeUtc>,
    pub success_redirect_url: Option<String>,
    pub state: String,
    pub expires_at: DateTimeUtc,
    pub created_at: DateTimeUtc,
    pub completed_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
