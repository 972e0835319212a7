//! Trading instruments (seed tag Instruments): every seed field, exact decimals stored as
//! canonical decimal text (SeaORM's decimal is lossy on SQLite), trading hours as JSON with
//! their time zone, and the sort order.

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
                .table("instruments")
                .col(big_pk_auto("id"))
                .col(string_len("symbol", 32).unique_key())
                .col(string_len("margin_currency", 5))
                .col(string_len("currency", 5))
                .col(string_len("category", 16))
                .col(integer("decimals"))
                .col(string_len("profit_calc_mode", 8))
                .col(string_len("margin_calc_mode", 8))
                .col(text("sizes"))
                .col(string_len("margin_percentage", 40))
                .col(string_len("hedged_margin_percentage", 40))
                .col(text("trading_hours"))
                .col(string_len("timezone", 64))
                .col(string_len("swap_mode", 16))
                .col(string_len("swap_long", 40))
                .col(string_len("swap_short", 40))
                .col(integer_null("swap_3day_weekday"))
                .col(string_len("stake_mode", 32))
                .col(string_len("contract_size", 40))
                .col(string_len("min_order_size", 40))
                .col(string_len("max_order_size", 40))
                .col(string_len("status", 16))
                .col(integer("sort"))
                .col(string_len_null("filename", 255))
                .col(text_null("file"))
                .col(ts("created_at"))
                .col(ts("updated_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("instruments", &["sort", "symbol"], false)).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("instruments").to_owned()).await
    }
}
