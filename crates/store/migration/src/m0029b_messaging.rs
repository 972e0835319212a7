//! Messaging: e-mail templates (MJML body, plain-text part, trigger, conditions), inbox
//! messages (one row per recipient; unique per group message and recipient so a resumed
//! fan-out never doubles one), and group messages (one send to all customers, to a trading
//! group's customers, with the fan-out's progress).

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
                .table("email_templates")
                .col(big_pk_auto("id"))
                .col(string_len("uuid", 36))
                .col(boolean("enabled"))
                .col(string_len("title", 200))
                .col(string_len("subject", 300))
                .col(text("mjml"))
                .col(text("txt"))
                .col(string_len("trigger_name", 64))
                .col(text("conditions"))
                .col(ts("created_at"))
                .col(ts("updated_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("email_templates", &["uuid"], true)).await?;
        m.create_index(index("email_templates", &["trigger_name", "enabled"], false)).await?;
        m.create_table(
            Table::create()
                .table("group_messages")
                .col(big_pk_auto("id"))
                .col(big_integer_null("sender_id"))
                .col(string_len("subject", 300))
                .col(text("text"))
                .col(string_len("kind", 16))
                .col(string_len("target", 16))
                .col(big_integer_null("target_group_id"))
                .col(big_integer("recipients"))
                .col(big_integer("cursor"))
                .col(string_len("status", 16))
                .col(ts("created_at"))
                .col(ts("updated_at"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("messages")
                .col(big_pk_auto("id"))
                .col(big_integer_null("sender_id"))
                .col(big_integer("recipient_id"))
                .col(big_integer_null("group_message_id"))
                .col(string_len("subject", 300))
                .col(text("text"))
                .col(boolean("via_push"))
                .col(ts_null("read_at"))
                .col(ts("created_at"))
                .col(ts("updated_at"))
                .foreign_key(&mut fk_user("messages", "recipient_id"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("messages", &["recipient_id", "read_at"], false)).await?;
        m.create_index(index("messages", &["recipient_id", "id"], false)).await?;
        m.create_index(index("messages", &["group_message_id", "recipient_id"], true)).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in ["messages", "group_messages", "email_templates"] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
