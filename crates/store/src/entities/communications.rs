//! Entity for the `communications` table: calls, e-mails, SMS and comments with a customer
//! or a CRM lead.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "communications")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub uuid: String,
    pub customer_id: Option<i64>,
    pub crm_lead_id: Option<i64>,
    pub kind: String,
    pub direction: String,
    pub subject: Option<String>,
    pub body: Option<String>,
    pub duration_secs: Option<i32>,
    pub recording_url: Option<String>,
    pub provider: Option<String>,
    pub external_id: Option<String>,
    pub author_id: Option<i64>,
    pub occurred_at: DateTimeUtc,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
