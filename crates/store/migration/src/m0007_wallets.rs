//! Trading groups and wallets. A wallet's money is not a column here: its balance and credit
//! are ledger accounts (`ledger_accounts.wallet_id`), so every change is a ledger transfer.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::util::{fk, index, ts};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        use ForeignKeyAction::Restrict;
        m.create_table(
            Table::create()
                .table("trading_groups")
                .col(big_pk_auto("id"))
                .col(string_len("name", 100).unique_key())
                .col(integer("leverage"))
                .col(string_len("currency", 5))
                .col(string_len("adapter_name", 64))
                .col(boolean("disable_swap_charges").default(false))
                .col(text("markups"))
                .col(text("commissions"))
                .col(integer("margin_call_level"))
                .col(integer("stop_out_level"))
                .col(ts("created_at"))
                .col(ts("updated_at"))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("wallets")
                .col(big_pk_auto("id"))
                .col(big_integer("user_id"))
                .col(string_len("platform", 8))
                .col(string_len("status", 16))
                .col(string_len("currency", 5))
                .col(big_integer_null("group_id"))
                .col(integer("leverage"))
                .col(boolean("is_demo").default(false))
                .col(ts("created_at"))
                .col(ts("updated_at"))
                .foreign_key(&mut fk("wallets", "user_id", "users", Restrict))
                .foreign_key(&mut fk("wallets", "group_id", "trading_groups", Restrict))
                .to_owned(),
        )
        .await?;
        m.create_index(index("wallets", &["user_id", "id"], false)).await?;
        m.create_index(index("wallets", &["group_id"], false)).await?;
        m.create_index(index("wallets", &["currency"], false)).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in ["wallets", "trading_groups"] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
