//! Entity for the `md_feeds` table: market-data feeds: QD filters (JSON array), confirmation, single use, status restriction, default duration, agreement.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "md_feeds")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub name: String,
    pub name_key: String,
    pub qd_filters: String,
    pub needs_confirmation: bool,
    pub single_use: bool,
    pub allowed_statuses: String,
    pub default_days: Option<i32>,
    pub agreement_title: String,
    pub agreement_text: String,
    pub agreement_version: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
