//! Prices: the latest quote per symbol (bid/ask in 10^-8 units, the time it was quoted and
//! its source) and candles per symbol and interval (open/high/low/close, tick count), both
//! keyed by symbol so a renamed or deleted instrument leaves its history readable.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::util::ts;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("quotes")
                .col(string_len("symbol", 32).primary_key())
                .col(big_integer("bid"))
                .col(big_integer("ask"))
                .col(string_len("source", 32))
                .col(ts("quoted_at"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("candles")
                .col(string_len("symbol", 32))
                .col(string_len("interval", 4))
                .col(ts("open_time"))
                .col(big_integer("open"))
                .col(big_integer("high"))
                .col(big_integer("low"))
                .col(big_integer("close"))
                .col(big_integer("ticks"))
                .primary_key(Index::create().col("symbol").col("interval").col("open_time"))
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in ["candles", "quotes"] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
