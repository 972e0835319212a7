//! Bonuses and coins: the bonus rules (fixed amounts and maximums as BIGINT minor units of
//! 10^-8, proportional percentages as integer hundredths of a percent), and an index for the
//! coins transaction list (coin transfers are ledger transfers in currency `COINS`).

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
                .table("bonuses")
                .col(string_len("id", 64).primary_key())
                // SIGNUP, DEPOSIT or DEPOSIT_PROPORTIONAL.
                .col(string_len("kind", 32))
                // Fixed bonus in USD (minor units); null for a proportional one.
                .col(big_integer_null("amount_usd"))
                // Proportional bonus in hundredths of a percent; null for a fixed one.
                .col(integer_null("percent_hundredths"))
                .col(ts("start_at"))
                .col(ts("end_at"))
                .col(big_integer_null("minimum_deposit_usd"))
                .col(big_integer_null("maximum_amount_usd"))
                .col(boolean("add_to_credit"))
                // JSON array of method names; empty: every method.
                .col(text("methods"))
                .col(ts("created_at"))
                .col(ts("updated_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("bonuses", &["kind", "start_at"], false)).await?;
        m.create_index(index("ledger_transfers", &["currency", "id"], false)).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(
            Index::drop()
                .name("ix_ledger_transfers_currency_id")
                .table("ledger_transfers")
                .to_owned(),
        )
        .await?;
        m.drop_table(Table::drop().table("bonuses").to_owned()).await
    }
}
