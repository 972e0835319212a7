//! Market-data entitlements (seed 003): applications (API key hashed) and their rules, feeds,
//! accounts per application, activation orders, single-use wizard and profile links,
//! subscriptions (one row per account and feed: a single-use feed can never come back),
//! signed agreements, each account's history, and trial tracking.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::util::{fk, index, ts, ts_null};

#[derive(DeriveMigrationName)]
pub struct Migration;

const TABLES: [&str; 9] = [
    "md_trials",
    "md_history",
    "md_agreements",
    "md_subscriptions",
    "md_links",
    "md_orders",
    "md_accounts",
    "md_feeds",
    "md_applications",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("md_applications")
                .col(big_pk_auto("id"))
                .col(string_len("uuid", 36).unique_key())
                .col(string_len("name", 100))
                .col(string_len("key_prefix", 16).unique_key())
                .col(string_len("key_hash", 64))
                .col(boolean("credentials_enabled"))
                .col(boolean("confirmation_required"))
                .col(string_len("cancel_mode", 16))
                .col(string_len("allowed_statuses", 16))
                .col(text_null("success_redirect_url"))
                .col(ts("created_at"))
                .col(ts("updated_at"))
                .col(ts_null("revoked_at"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("md_feeds")
                .col(big_pk_auto("id"))
                .col(string_len("name", 100))
                .col(string_len("name_key", 100).unique_key())
                .col(text("qd_filters"))
                .col(boolean("needs_confirmation"))
                .col(boolean("single_use"))
                .col(string_len("allowed_statuses", 16))
                .col(integer_null("default_days"))
                .col(string_len("agreement_title", 200))
                .col(text("agreement_text"))
                .col(string_len("agreement_version", 50))
                .col(ts("created_at"))
                .col(ts("updated_at"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("md_accounts")
                .col(big_pk_auto("id"))
                .col(string_len("uuid", 36).unique_key())
                .col(big_integer("application_id"))
                .col(string_len("email", 254))
                .col(text("metadata"))
                .col(string_len("allowed_statuses", 16))
                .col(string_len_null("subscriber_status", 16))
                .col(text_null("personal"))
                .col(ts_null("profile_completed_at"))
                .col(string_len_null("login", 64).unique_key())
                .col(text_null("password_hash"))
                .col(big_integer_null("customer_user_id"))
                .col(ts("created_at"))
                .col(ts("updated_at"))
                .foreign_key(&mut fk(
                    "md_accounts",
                    "application_id",
                    "md_applications",
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index("md_accounts", &["application_id", "email"], true)).await?;
        m.create_table(
            Table::create()
                .table("md_orders")
                .col(big_pk_auto("id"))
                .col(big_integer("account_id"))
                .col(small_integer("api_version"))
                .col(text("items"))
                .col(string_len_null("confirmation_id", 64).unique_key())
                .col(boolean("needs_confirmation"))
                .col(ts_null("confirmed_at"))
                .col(ts_null("signed_at"))
                .col(text_null("success_redirect_url"))
                .col(string_len("state", 16))
                .col(ts("expires_at"))
                .col(ts("created_at"))
                .col(ts_null("completed_at"))
                .foreign_key(&mut fk(
                    "md_orders",
                    "account_id",
                    "md_accounts",
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index("md_orders", &["account_id", "state"], false)).await?;
        m.create_table(
            Table::create()
                .table("md_links")
                .col(big_pk_auto("id"))
                .col(string_len("token_hash", 64).unique_key())
                .col(big_integer("account_id"))
                .col(big_integer_null("order_id"))
                .col(string_len("kind", 16))
                .col(ts("expires_at"))
                .col(ts_null("used_at"))
                .col(ts("created_at"))
                .foreign_key(&mut fk(
                    "md_links",
                    "account_id",
                    "md_accounts",
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index("md_links", &["account_id"], false)).await?;
        m.create_table(
            Table::create()
                .table("md_subscriptions")
                .col(big_pk_auto("id"))
                .col(big_integer("account_id"))
                .col(big_integer("feed_id"))
                .col(string_len("status", 16))
                .col(ts("activated_at"))
                .col(ts_null("expires_at"))
                .col(integer("activations"))
                .col(ts_null("cancelled_at"))
                .col(ts("updated_at"))
                .foreign_key(&mut fk(
                    "md_subscriptions",
                    "account_id",
                    "md_accounts",
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    "md_subscriptions",
                    "feed_id",
                    "md_feeds",
                    ForeignKeyAction::Restrict,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index("md_subscriptions", &["account_id", "feed_id"], true)).await?;
        m.create_index(index("md_subscriptions", &["status", "expires_at"], false)).await?;
        m.create_index(index("md_subscriptions", &["feed_id"], false)).await?;
        m.create_table(
            Table::create()
                .table("md_agreements")
                .col(big_pk_auto("id"))
                .col(big_integer("account_id"))
                .col(big_integer("feed_id"))
                .col(string_len("title", 200))
                .col(text("text"))
                .col(string_len("version", 50))
                .col(string_len_null("ip", 64))
                .col(ts("signed_at"))
                .foreign_key(&mut fk(
                    "md_agreements",
                    "account_id",
                    "md_accounts",
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index("md_agreements", &["account_id", "feed_id"], false)).await?;
        m.create_table(
            Table::create()
                .table("md_history")
                .col(big_pk_auto("id"))
                .col(big_integer("account_id"))
                .col(string_len("kind", 40))
                .col(text("details"))
                .col(ts("at"))
                .foreign_key(&mut fk(
                    "md_history",
                    "account_id",
                    "md_accounts",
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index("md_history", &["account_id"], false)).await?;
        m.create_table(
            Table::create()
                .table("md_trials")
                .col(big_pk_auto("id"))
                .col(big_integer("application_id"))
                .col(string_len_null("mac_address", 64))
                .col(string_len_null("email", 254))
                .col(string_len_null("first_name", 100))
                .col(string_len_null("last_name", 100))
                .col(string_len_null("phone", 40))
                .col(ts("created_at"))
                .foreign_key(&mut fk(
                    "md_trials",
                    "application_id",
                    "md_applications",
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index("md_trials", &["application_id"], false)).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in TABLES {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
