//! Entity for the `crm_lead_imports` table: one CSV upload of CRM leads and its progress.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "crm_lead_imports")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub uuid: String,
    pub created_by: Option<i64>,
    /// `running`, `done` or `failed`.
    pub status: String,
    pub total: i32,
    pub processed: i32,
    pub saved: i32,
    pub updated: i32,
    pub failed: i32,
    /// JSON array of the per-row errors (at most the first 1,000).
    pub errors: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
