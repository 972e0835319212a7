//! Platform: settings, countries, the audit log (activities) and adapter records.

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
                .table("settings")
                .col(string_len("key", 128).primary_key())
                .col(text("value"))
                .col(boolean("secret").default(false))
                .col(ts("updated_at"))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("countries")
                .col(string_len("id", 2).primary_key())
                .col(string_len("name", 100))
                .col(boolean("enabled").default(true))
                .col(ts("updated_at"))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("activities")
                .col(big_pk_auto("id"))
                .col(big_integer_null("actor_id"))
                .col(string_len_null("actor_email", 254))
                .col(string_len("type", 64))
                .col(text("details"))
                .col(string_len_null("entity", 64))
                .col(string_len_null("entity_id", 128))
                .col(text_null("before"))
                .col(text_null("after"))
                .col(string_len_null("ip", 64))
                .col(ts("created_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("activities", &["created_at"], false)).await?;
        m.create_index(index("activities", &["type"], false)).await?;
        m.create_index(index("activities", &["actor_id"], false)).await?;

        m.create_table(
            Table::create()
                .table("adapters")
                .col(string_len("name", 64).primary_key())
                .col(string_len("type", 64))
                .col(boolean("enabled"))
                .col(boolean("is_trading"))
                .col(text("configuration"))
                .col(ts("created_at"))
                .col(ts("updated_at"))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in ["adapters", "activities", "countries", "settings"] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
