//! Entity for the `group_messages` table: one send to many (all customers, a trading
//! group's customers) and the progress of its fan-out.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "group_messages")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub sender_id: Option<i64>,
    pub subject: String,
    pub text: String,
    /// `Message` or `Push`.
    pub kind: String,
    /// `all` or `group`.
    pub target: String,
    pub target_group_id: Option<i64>,
    /// Inbox messages written so far.
    pub recipients: i64,
    /// The last recipient id written (the fan-out resumes after it).
    pub cursor: i64,
    /// `queued`, `sending` or `done`.
    pub status: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
