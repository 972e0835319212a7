//! Entity for the `advertisers` table: advertisers (brands) and how leads reach them.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "advertisers")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub uuid: String,
    pub name: String,
    pub kind: String,
    /// Adapter configuration, JSON.
    pub config: String,
    pub active: bool,
    pub timeout_ms: i32,
    pub require_auto_login: bool,
    pub require_external_id: bool,
    /// Traffic filter, JSON (countries, weekdays, hours, time zone).
    pub traffic_filter: Option<String>,
    pub postback_secret_hash: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
