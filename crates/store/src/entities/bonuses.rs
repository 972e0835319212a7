//! Entity for the `bonuses` table: one bonus rule (amounts in minor units of 10^-8,
//! percentages in hundredths of a percent).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "bonuses")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub kind: String,
    pub amount_usd: Option<i64>,
    pub percent_hundredths: Option<i32>,
    pub start_at: DateTimeUtc,
    pub end_at: DateTimeUtc,
    pub minimum_deposit_usd: Option<i64>,
    pub maximum_amount_usd: Option<i64>,
    pub add_to_credit: bool,
    /// JSON array of method names.
    pub methods: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
