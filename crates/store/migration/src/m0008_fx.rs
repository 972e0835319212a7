//! Currency conversion: exchange rates (one per currency pair, with its source; the rate an
//! exact decimal kept as text, since SeaORM's decimal is lossy on SQLite) and configured
//! conversion paths (one per source/target pair).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::util::{index, ts};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("exchange_rates")
                .col(string_len("id", 36).primary_key())
                .col(string_len("from_currency", 5))
                .col(string_len("to_currency", 5))
                .col(string_len("source", 64))
                .col(string_len("rate", 40))
                .col(ts("created_at"))
                .col(ts("updated_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("exchange_rates", &["from_currency", "to_currency"], true)).await?;
        m.create_index(index("exchange_rates", &["source"], false)).await?;

        m.create_table(
            Table::create()
                .table("currency_conversions")
                .col(big_pk_auto("id"))
                .col(string_len("source", 5))
                .col(string_len("target", 5))
                .col(string_len("path", 64))
                .col(ts("created_at"))
                .col(ts("updated_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("currency_conversions", &["source", "target"], true)).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in ["currency_conversions", "exchange_rates"] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
