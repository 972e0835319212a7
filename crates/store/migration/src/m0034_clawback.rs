//! Clawback (issue 16): each commission record names the event that earned it (the ledger
//! transfer of the deposit or the close), so a charged-back deposit finds the CPA it earned.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::util::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let mut col = string_len_null("event_id", 128);
        m.alter_table(Table::alter().table("commission_records").add_column(&mut col).to_owned())
            .await?;
        m.create_index(index("commission_records", &["event_id"], false)).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(
            Index::drop()
                .name("ix_commission_records_event_id")
                .table("commission_records")
                .to_owned(),
        )
        .await?;
        m.alter_table(Table::alter().table("commission_records").drop_column("event_id").to_owned())
            .await
    }
}
