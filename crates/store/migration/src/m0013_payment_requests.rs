//! Payment requests: deposits and withdrawals through payment providers, with their status,
//! provider, method, wallet address, comment and reviewer. Money stays in the ledger: the
//! row's `id` is the transfer id of its main ledger transfer (the withdrawal's reservation,
//! the deposit's posting), so the two are joined without another key.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::util::{index, ts, ts_null};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("payment_requests")
                .col(string_len("id", 128).primary_key())
                // `deposit` or `withdrawal`.
                .col(string_len("kind", 16))
                // pending, approved, rejected, refunded (withdrawals); pending, completed,
                // failed (deposits).
                .col(string_len("status", 16))
                .col(big_integer("user_id"))
                .col(big_integer("wallet_id"))
                .col(string_len("provider", 32))
                .col(string_len("currency", 16))
                // Minor units (10^-8): requested, and finally moved (approved/changed amount).
                .col(big_integer("amount"))
                .col(big_integer_null("final_amount"))
                .col(string_len_null("wallet_address", 256))
                .col(text_null("comment"))
                .col(big_integer_null("reviewer_id"))
                .col(ts_null("reviewed_at"))
                // The provider's reference (deposit callback, payout of a withdrawal).
                .col(string_len_null("external_id", 128))
                // Payout through a transfer method: null, `sending` or `sent`.
                .col(string_len_null("payout_status", 16))
                .col(string_len_null("payout_method", 32))
                .col(ts("created_at"))
                .col(ts("updated_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("payment_requests", &["user_id", "kind", "status"], false)).await?;
        m.create_index(index("payment_requests", &["status", "created_at"], false)).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("payment_requests").to_owned()).await
    }
}
