//! Entity for the `ledger_accounts` table: one ledger account with its posted balance and
//! pending sums in minor units (10^-8).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "ledger_accounts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub key: String,
    pub kind: String,
    pub currency: String,
    pub wallet_id: Option<i64>,
    pub provider: Option<String>,
    pub balance: i64,
    pub pending_debits: i64,
    pub pending_credits: i64,
    pub floor: i64,
    pub allows_overdraft: bool,
    /// In the demo book (a demo wallet's accounts, the demo provider's clearing account):
    /// its money never meets an account of the real book.
    pub demo: bool,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
