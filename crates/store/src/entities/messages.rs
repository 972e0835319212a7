//! Entity for the `messages` table: one inbox message of one recipient.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "messages")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub sender_id: Option<i64>,
    pub recipient_id: i64,
    pub group_message_id: Option<i64>,
    pub subject: String,
    pub text: String,
    pub via_push: bool,
    pub read_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
