//! Entity for the `email_templates` table: an e-mail sent on a trigger to matching customers.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "email_templates")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub uuid: String,
    pub enabled: bool,
    pub title: String,
    pub subject: String,
    pub mjml: String,
    pub txt: String,
    pub trigger_name: String,
    /// JSON object (`core::messaging::conditions::Conditions`).
    pub conditions: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
