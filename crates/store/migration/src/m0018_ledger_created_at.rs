//! Ledger transfers get an index on `created_at`, for the profit/loss report and other
//! date-range reads over every account (`store::repo::reports`): a range scan instead of a
//! full scan of the ledger.

use sea_orm_migration::prelude::*;

use crate::util::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_index(index("ledger_transfers", &["created_at"], false)).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(
            Index::drop()
                .name("ix_ledger_transfers_created_at")
                .table("ledger_transfers")
                .to_owned(),
        )
        .await
    }
}
