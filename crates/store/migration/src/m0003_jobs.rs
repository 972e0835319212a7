//! The job/outbox table: jobs enqueued inside business transactions and run by workers.

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
                .table("jobs")
                .col(big_pk_auto("id"))
                .col(string_len("kind", 64))
                .col(text("payload"))
                .col(string_len("status", 16))
                .col(integer("attempts").default(0))
                .col(integer("max_attempts"))
                .col(ts("run_at"))
                .col(ts_null("locked_until"))
                .col(string_len_null("locked_by", 64))
                .col(text_null("last_error"))
                .col(string_len_null("dedup_key", 128).unique_key())
                .col(ts("created_at"))
                .col(ts("updated_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("jobs", &["status", "run_at"], false)).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("jobs").to_owned()).await
    }
}
