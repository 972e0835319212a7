//! The double-entry ledger: accounts (wallet and house, with posted balance, pending sums,
//! floor and overdraft) and transfers (unique transfer id for idempotency, pending → posted
//! or voided). Money columns are `BIGINT` minor units at 10^-8.

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
                .table("ledger_accounts")
                .col(big_pk_auto("id"))
                .col(string_len("key", 100).unique_key())
                .col(string_len("kind", 32))
                .col(string_len("currency", 5))
                .col(big_integer_null("wallet_id"))
                .col(string_len_null("provider", 64))
                .col(big_integer("balance").default(0))
                .col(big_integer("pending_debits").default(0))
                .col(big_integer("pending_credits").default(0))
                .col(big_integer("floor").default(0))
                .col(boolean("allows_overdraft").default(false))
                .col(ts("created_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("ledger_accounts", &["wallet_id"], false)).await?;

        m.create_table(
            Table::create()
                .table("ledger_transfers")
                .col(big_pk_auto("id"))
                .col(string_len("transfer_id", 128).unique_key())
                .col(big_integer("debit_account_id"))
                .col(big_integer("credit_account_id"))
                .col(big_integer("amount"))
                .col(string_len("currency", 5))
                .col(string_len("code", 32))
                .col(string_len("kind", 16))
                .col(string_len("state", 16))
                .col(string_len_null("pending_id", 128))
                .col(text_null("user_data"))
                .col(string_len("body_hash", 64))
                .col(ts("created_at"))
                .foreign_key(&mut fk(
                    "ledger_transfers",
                    "debit_account_id",
                    "ledger_accounts",
                    Restrict,
                ))
                .foreign_key(&mut fk(
                    "ledger_transfers",
                    "credit_account_id",
                    "ledger_accounts",
                    Restrict,
                ))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_ledger_transfers_pending_id")
                        .from("ledger_transfers", "pending_id")
                        .to("ledger_transfers", "transfer_id")
                        .on_delete(Restrict),
                )
                .to_owned(),
        )
        .await?;
        // At most one post or void per pending transfer, whatever their ids.
        m.create_index(index("ledger_transfers", &["pending_id"], true)).await?;
        m.create_index(index("ledger_transfers", &["debit_account_id", "id"], false)).await?;
        m.create_index(index("ledger_transfers", &["credit_account_id", "id"], false)).await?;
        m.create_index(index("ledger_transfers", &["state"], false)).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in ["ledger_transfers", "ledger_accounts"] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
