//! Calls (seed 002 tag Calls): VoIP calls started by agents through a provider (Voiso,
//! Coperato), the provider webhook events received for them (each once: unique per call and
//! event), and the per-customer call-agent mappings.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::util::{fk, fk_user, index, ts};

#[derive(DeriveMigrationName)]
pub struct Migration;

const TABLES: [&str; 3] = ["voip_call_events", "voip_calls", "call_agent_mappings"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        use ForeignKeyAction::{Cascade, SetNull};
        m.create_table(
            Table::create()
                .table("call_agent_mappings")
                .col(big_integer("customer_id"))
                .col(string_len("provider", 16))
                .col(string_len("agent_id", 255))
                .col(big_integer_null("updated_by"))
                .col(ts("created_at"))
                .col(ts("updated_at"))
                .primary_key(Index::create().col("customer_id").col("provider"))
                .foreign_key(&mut fk_user("call_agent_mappings", "customer_id"))
                .foreign_key(&mut fk("call_agent_mappings", "updated_by", "users", SetNull))
                .to_owned(),
        )
        .await?;
        m.create_index(index("call_agent_mappings", &["provider", "customer_id"], false)).await?;

        m.create_table(
            Table::create()
                .table("voip_calls")
                .col(big_pk_auto("id"))
                .col(string_len("uuid", 36).unique_key())
                .col(string_len("provider", 16))
                .col(big_integer_null("customer_id"))
                .col(big_integer_null("crm_lead_id"))
                .col(big_integer_null("agent_user_id"))
                .col(string_len("agent_ref", 255))
                .col(string_len("phone", 50))
                .col(string_len("status", 16))
                .col(string_len_null("provider_call_id", 255))
                .col(integer_null("duration_secs"))
                .col(string_len_null("recording_url", 1000))
                .col(ts("created_at"))
                .col(ts("updated_at"))
                .foreign_key(&mut fk_user("voip_calls", "customer_id"))
                .foreign_key(&mut fk("voip_calls", "crm_lead_id", "crm_leads", Cascade))
                .foreign_key(&mut fk("voip_calls", "agent_user_id", "users", SetNull))
                .to_owned(),
        )
        .await?;
        m.create_index(index("voip_calls", &["customer_id"], false)).await?;
        m.create_index(index("voip_calls", &["crm_lead_id"], false)).await?;

        m.create_table(
            Table::create()
                .table("voip_call_events")
                .col(big_pk_auto("id"))
                .col(big_integer("call_id"))
                .col(string_len("event", 32))
                .col(text("payload"))
                .col(ts("received_at"))
                .foreign_key(&mut fk("voip_call_events", "call_id", "voip_calls", Cascade))
                .to_owned(),
        )
        .await?;
        // A redelivered webhook event is recorded once.
        m.create_index(index("voip_call_events", &["call_id", "event"], true)).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in TABLES {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
