//! The trigger evaluator (issue 15): a lease row per singleton task (one process evaluates
//! the trigger books at a time), an index on positions' `updated_at` (the evaluator reads what
//! changed), and the watchlists of wallets.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::util::{fk, index, ts};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("trading_leases")
                .col(string_len("name", 64).primary_key())
                .col(string_len("holder", 128))
                .col(big_integer("epoch"))
                .col(ts("expires_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("positions", &["updated_at"], false)).await?;
        m.create_table(
            Table::create()
                .table("watchlist_entries")
                .col(big_pk_auto("id"))
                .col(big_integer("wallet_id"))
                .col(string_len("symbol", 32))
                .col(ts("created_at"))
                .foreign_key(&mut fk(
                    "watchlist_entries",
                    "wallet_id",
                    "wallets",
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index("watchlist_entries", &["wallet_id", "symbol"], true)).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("watchlist_entries").to_owned()).await?;
        m.drop_index(Index::drop().name("ix_positions_updated_at").table("positions").to_owned())
            .await?;
        m.drop_table(Table::drop().table("trading_leases").to_owned()).await
    }
}
