//! Entity for the `offers` table: offers/funnels: what an affiliate sends traffic to, with its rotation mode.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "offers")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub uuid: String,
    pub name: String,
    /// Owner affiliate; `None`: open to every affiliate.
    pub affiliate_id: Option<i64>,
    pub rotation_mode: String,
    pub lead_source: Option<String>,
    pub funnel_name: Option<String>,
    pub funnel_url: Option<String>,
    pub funnel_language: Option<String>,
    pub active: bool,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
