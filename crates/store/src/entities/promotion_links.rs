//! Entity for the `promotion_links` table: a tenant's promotion links (seed 004), their owner
//! and click count. The seed's free-form fields are kept as sent in `extras` (JSON).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "promotion_links")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub tenant_id: i64,
    pub entity_no: String,
    pub name: String,
    pub introduce_type: String,
    pub visible_type: String,
    pub visible_user_ids: String,
    pub target_url: Option<String>,
    pub parameter_type: Option<String>,
    pub repeat_key: Option<String>,
    pub extras: String,
    pub owner_user_id: Option<i64>,
    pub clicks: i64,
    pub last_click_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
