//! Web push: browser subscriptions per user and topic (endpoint and the browser's keys), one
//! row per (endpoint, topic) — a browser re-subscribing replaces its row.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::util::{fk_user, index, ts, ts_null};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("push_subscriptions")
                .col(big_pk_auto("id"))
                .col(big_integer("user_id"))
                .col(string_len("topic", 32))
                .col(string_len("endpoint", 1000))
                .col(string_len("p256dh", 128))
                .col(string_len("auth", 64))
                .col(ts_null("expiration_time"))
                .col(ts("created_at"))
                .foreign_key(&mut fk_user("push_subscriptions", "user_id"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("push_subscriptions", &["endpoint", "topic"], true)).await?;
        m.create_index(index("push_subscriptions", &["user_id", "topic"], false)).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("push_subscriptions").to_owned()).await
    }
}
