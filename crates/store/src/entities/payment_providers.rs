//! Entity for the `payment_providers` table: one row per configured built-in provider.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "payment_providers")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub enabled: bool,
    pub sort: i32,
    /// Upper-case ISO codes joined by `,`; empty: every country.
    pub enabled_country_codes: String,
    /// Minor units (10^-8).
    pub minimum_deposit_amount: Option<i64>,
    pub maximum_deposit_amount: Option<i64>,
    pub minimum_withdrawal_amount: Option<i64>,
    pub maximum_withdrawal_amount: Option<i64>,
    /// Minor units joined by `,`.
    pub predefined_deposit_amounts: String,
    /// Encrypted key values (never plain text).
    pub key_values: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
