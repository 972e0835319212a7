//! Lead distribution: affiliate tokens, goal types, advertisers, offers and their rotations,
//! caps, filters, dedup rules, the leads with their routing trace and conversions, the
//! internal CRM's lead store, auto-login links and the shared request windows.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::util::{fk, fk_user, index, ts, ts_null};

#[derive(DeriveMigrationName)]
pub struct Migration;

const TABLES: [&str; 17] = [
    "rate_limit_hits",
    "request_fingerprints",
    "auto_login_tokens",
    "crm_leads",
    "conversions",
    "lead_events",
    "lead_dedup_keys",
    "leads",
    "dedup_rules",
    "cap_counters",
    "caps",
    "rotation_entries",
    "country_blocks",
    "affiliate_tokens",
    "offers",
    "advertisers",
    "goal_types",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        use ForeignKeyAction::{Cascade, SetNull};
        m.create_table(
            Table::create()
                .table("goal_types")
                .col(big_pk_auto("id"))
                .col(string_len("uuid", 36).unique_key())
                .col(string_len("name", 100).unique_key())
                .col(boolean("system").default(false))
                .col(ts("created_at"))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("advertisers")
                .col(big_pk_auto("id"))
                .col(string_len("uuid", 36).unique_key())
                .col(string_len("name", 200))
                .col(string_len("kind", 32))
                .col(text("config"))
                .col(boolean("active").default(true))
                .col(integer("timeout_ms"))
                .col(boolean("require_auto_login").default(false))
                .col(boolean("require_external_id").default(false))
                .col(text_null("traffic_filter"))
                .col(string_len_null("postback_secret_hash", 64))
                .col(ts("created_at"))
                .col(ts("updated_at"))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("offers")
                .col(big_pk_auto("id"))
                .col(string_len("uuid", 36).unique_key())
                .col(string_len("name", 200))
                .col(big_integer_null("affiliate_id"))
                .col(string_len("rotation_mode", 16))
                .col(string_len_null("lead_source", 255))
                .col(string_len_null("funnel_name", 200))
                .col(string_len_null("funnel_url", 500))
                .col(string_len_null("funnel_language", 2))
                .col(boolean("active").default(true))
                .col(ts("created_at"))
                .col(ts("updated_at"))
                .foreign_key(&mut fk_user("offers", "affiliate_id"))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("affiliate_tokens")
                .col(big_pk_auto("id"))
                .col(string_len("uuid", 36).unique_key())
                .col(big_integer("affiliate_id"))
                .col(string_len("name", 100))
                .col(string_len("prefix", 16))
                .col(string_len("token_hash", 64).unique_key())
                .col(text_null("ip_allowlist"))
                .col(big_integer_null("default_offer_id"))
                .col(boolean("active").default(true))
                .col(big_integer_null("created_by"))
                .col(ts_null("last_used_at"))
                .col(ts_null("revoked_at"))
                .col(ts("created_at"))
                .foreign_key(&mut fk_user("affiliate_tokens", "affiliate_id"))
                .foreign_key(&mut fk("affiliate_tokens", "default_offer_id", "offers", SetNull))
                .to_owned(),
        )
        .await?;
        m.create_index(index("affiliate_tokens", &["affiliate_id"], false)).await?;

        m.create_table(
            Table::create()
                .table("country_blocks")
                .col(big_pk_auto("id"))
                .col(big_integer_null("offer_id"))
                .col(string_len("country", 2))
                .col(ts("created_at"))
                .foreign_key(&mut fk("country_blocks", "offer_id", "offers", Cascade))
                .to_owned(),
        )
        .await?;
        m.create_index(index("country_blocks", &["country", "offer_id"], false)).await?;

        m.create_table(
            Table::create()
                .table("rotation_entries")
                .col(big_pk_auto("id"))
                .col(big_integer("offer_id"))
                .col(big_integer("advertiser_id"))
                .col(integer("priority"))
                .col(integer("weight"))
                .col(boolean("active").default(true))
                .col(ts("created_at"))
                .foreign_key(&mut fk("rotation_entries", "offer_id", "offers", Cascade))
                .foreign_key(&mut fk("rotation_entries", "advertiser_id", "advertisers", Cascade))
                .to_owned(),
        )
        .await?;
        m.create_index(index("rotation_entries", &["offer_id", "advertiser_id"], true)).await?;

        m.create_table(
            Table::create()
                .table("caps")
                .col(big_pk_auto("id"))
                .col(string_len("uuid", 36).unique_key())
                .col(big_integer("advertiser_id"))
                .col(big_integer_null("offer_id"))
                .col(string_len_null("country", 2))
                .col(string_len("period", 16))
                .col(string_len("kind", 16))
                .col(integer("max_count"))
                .col(ts("created_at"))
                .foreign_key(&mut fk("caps", "advertiser_id", "advertisers", Cascade))
                .foreign_key(&mut fk("caps", "offer_id", "offers", Cascade))
                .to_owned(),
        )
        .await?;
        m.create_index(index("caps", &["advertiser_id"], false)).await?;

        m.create_table(
            Table::create()
                .table("cap_counters")
                .col(big_integer("cap_id"))
                .col(string_len("period_key", 16))
                .col(integer("count"))
                .primary_key(Index::create().col("cap_id").col("period_key"))
                .foreign_key(&mut fk("cap_counters", "cap_id", "caps", Cascade))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("dedup_rules")
                .col(big_pk_auto("id"))
                .col(string_len("uuid", 36).unique_key())
                .col(string_len("field", 16))
                .col(string_len("scope", 16))
                .col(big_integer("window_secs"))
                .col(boolean("active").default(true))
                .col(ts("created_at"))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("leads")
                .col(big_pk_auto("id"))
                .col(string_len("uuid", 36).unique_key())
                .col(big_integer("affiliate_id"))
                .col(big_integer_null("token_id"))
                .col(string_len("channel", 16))
                .col(big_integer_null("offer_id"))
                .col(big_integer_null("advertiser_id"))
                .col(string_len("status", 16))
                .col(string_len_null("error_type", 32))
                .col(text_null("error_message"))
                .col(string_len("ip", 45))
                .col(string_len_null("country", 2))
                .col(string_len_null("language", 2))
                .col(boolean("is_test").default(false))
                .col(string_len_null("email", 320))
                .col(string_len_null("phone", 64))
                .col(string_len_null("first_name", 600))
                .col(string_len_null("last_name", 600))
                .col(text("profile"))
                .col(string_len_null("external_id", 200))
                .col(text_null("auto_login_url"))
                .col(ts_null("lease_until"))
                .col(ts("deadline_at"))
                .col(ts("created_at"))
                .col(ts("updated_at"))
                .foreign_key(&mut fk_user("leads", "affiliate_id"))
                .foreign_key(&mut fk("leads", "offer_id", "offers", SetNull))
                .foreign_key(&mut fk("leads", "advertiser_id", "advertisers", SetNull))
                .to_owned(),
        )
        .await?;
        m.create_index(index("leads", &["affiliate_id", "created_at"], false)).await?;
        m.create_index(index("leads", &["status", "lease_until"], false)).await?;
        m.create_index(index("leads", &["email"], false)).await?;
        m.create_index(index("leads", &["advertiser_id", "external_id"], false)).await?;

        m.create_table(
            Table::create()
                .table("lead_dedup_keys")
                .col(string_len("key_hash", 64).primary_key())
                .col(big_integer("lead_id"))
                .col(ts("expires_at"))
                .foreign_key(&mut fk("lead_dedup_keys", "lead_id", "leads", Cascade))
                .to_owned(),
        )
        .await?;
        m.create_index(index("lead_dedup_keys", &["lead_id"], false)).await?;

        m.create_table(
            Table::create()
                .table("lead_events")
                .col(big_pk_auto("id"))
                .col(big_integer("lead_id"))
                .col(integer("seq"))
                .col(string_len("kind", 24))
                .col(big_integer_null("advertiser_id"))
                .col(string_len_null("error_type", 32))
                .col(text_null("message"))
                .col(integer_null("duration_ms"))
                .col(ts("created_at"))
                .foreign_key(&mut fk("lead_events", "lead_id", "leads", Cascade))
                .foreign_key(&mut fk("lead_events", "advertiser_id", "advertisers", SetNull))
                .to_owned(),
        )
        .await?;
        m.create_index(index("lead_events", &["lead_id", "seq"], true)).await?;

        m.create_table(
            Table::create()
                .table("conversions")
                .col(big_pk_auto("id"))
                .col(string_len("uuid", 36).unique_key())
                .col(big_integer("lead_id"))
                .col(big_integer("goal_type_id"))
                .col(big_integer("affiliate_id"))
                .col(string_len("source", 16))
                .col(ts("created_at"))
                .foreign_key(&mut fk("conversions", "lead_id", "leads", Cascade))
                .foreign_key(&mut fk("conversions", "goal_type_id", "goal_types", Cascade))
                .foreign_key(&mut fk_user("conversions", "affiliate_id"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("conversions", &["lead_id", "goal_type_id"], true)).await?;
        m.create_index(index("conversions", &["affiliate_id", "created_at"], false)).await?;

        m.create_table(
            Table::create()
                .table("crm_leads")
                .col(big_pk_auto("id"))
                .col(string_len("uuid", 36).unique_key())
                .col(big_integer_null("lead_id").unique_key())
                .col(big_integer_null("affiliate_id"))
                .col(big_integer_null("customer_id"))
                .col(big_integer_null("sales_person_id"))
                .col(string_len_null("email", 320))
                .col(string_len_null("phone", 64))
                .col(string_len_null("first_name", 600))
                .col(string_len_null("last_name", 600))
                .col(string_len_null("country", 2))
                .col(string_len_null("language", 2))
                .col(string_len_null("ip", 45))
                .col(string_len_null("source", 255))
                .col(string_len("status", 32))
                .col(string_len_null("password_hash", 255))
                .col(boolean("is_test").default(false))
                .col(ts("created_at"))
                .col(ts("updated_at"))
                .foreign_key(&mut fk("crm_leads", "lead_id", "leads", SetNull))
                .foreign_key(&mut fk("crm_leads", "affiliate_id", "users", SetNull))
                .foreign_key(&mut fk("crm_leads", "customer_id", "users", SetNull))
                .foreign_key(&mut fk("crm_leads", "sales_person_id", "users", SetNull))
                .to_owned(),
        )
        .await?;
        m.create_index(index("crm_leads", &["email"], false)).await?;
        m.create_index(index("crm_leads", &["phone"], false)).await?;
        m.create_index(index("crm_leads", &["created_at"], false)).await?;

        m.create_table(
            Table::create()
                .table("auto_login_tokens")
                .col(big_pk_auto("id"))
                .col(string_len("token_hash", 64).unique_key())
                .col(big_integer_null("crm_lead_id"))
                .col(big_integer_null("user_id"))
                .col(string_len_null("redirect_path", 500))
                .col(ts("expires_at"))
                .col(ts_null("used_at"))
                .col(ts("created_at"))
                .foreign_key(&mut fk("auto_login_tokens", "crm_lead_id", "crm_leads", Cascade))
                .foreign_key(&mut fk_user("auto_login_tokens", "user_id"))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("request_fingerprints")
                .col(string_len("key", 128).primary_key())
                .col(ts("expires_at"))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("rate_limit_hits")
                .col(big_pk_auto("id"))
                .col(string_len("key", 128))
                .col(ts("at"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("rate_limit_hits", &["key", "at"], false)).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in TABLES {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
