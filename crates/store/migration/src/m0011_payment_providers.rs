//! Payment providers: the settings of each built-in provider (enabled, order, countries, limits
//! as BIGINT minor units of 10^-8, predefined amounts) and its key values, encrypted by the
//! application before they reach this table.

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
                .table("payment_providers")
                .col(string_len("id", 32).primary_key())
                .col(boolean("enabled").default(false))
                .col(integer("sort"))
                // Upper-case ISO codes joined by `,`; empty: every country.
                .col(text("enabled_country_codes"))
                .col(big_integer_null("minimum_deposit_amount"))
                .col(big_integer_null("maximum_deposit_amount"))
                .col(big_integer_null("minimum_withdrawal_amount"))
                .col(big_integer_null("maximum_withdrawal_amount"))
                // Minor units joined by `,`, in the order staff set them.
                .col(text("predefined_deposit_amounts"))
                // `v1:` + base64(nonce || ciphertext || tag) of the JSON key/value map.
                .col(text_null("key_values"))
                .col(ts("created_at"))
                .col(ts("updated_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("payment_providers", &["enabled", "sort"], false)).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("payment_providers").to_owned()).await
    }
}
