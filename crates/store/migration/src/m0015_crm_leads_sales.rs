//! The sales CRM works its leads: `crm_leads` gains a sales desk, a sales status, the time of
//! the last contact and lower-cased name keys for prefix search, with the indexes the lead
//! list's filters need; `crm_lead_imports` records CSV uploads and their progress.
//!
//! On PostgreSQL the search keys (`email`, `phone`, `name_key`, `last_name_key`) use the "C"
//! collation, so a prefix search is a byte-wise index range whatever the database's locale.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

use crate::util::{index, ts, ts_null};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Indexes on `crm_leads`: each list filter leads with its column, then the default order.
const INDEXES: [&[&str]; 10] = [
    &["sales_status_id", "created_at"],
    &["sales_person_id", "created_at"],
    &["sales_desk_id", "created_at"],
    &["source", "created_at"],
    &["country", "created_at"],
    &["updated_at"],
    &["last_contact_at"],
    &["name_key"],
    &["last_name_key"],
    &["created_at", "id"],
];

fn ix_name(cols: &[&str]) -> String {
    format!("ix_crm_leads_{}", cols.join("_"))
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for col in [
            big_integer_null("sales_desk_id"),
            big_integer_null("sales_status_id"),
            ts_null("last_contact_at"),
            string_len_null("name_key", 200),
            string_len_null("last_name_key", 200),
        ] {
            let mut col = col;
            m.alter_table(Table::alter().table("crm_leads").add_column(&mut col).to_owned())
                .await?;
        }
        let db = m.get_connection();
        db.execute_unprepared(
            "UPDATE crm_leads SET \
             name_key = LOWER(SUBSTR(TRIM(COALESCE(first_name, '') || ' ' || COALESCE(last_name, '')), 1, 200)), \
             last_name_key = LOWER(SUBSTR(TRIM(COALESCE(last_name, '')), 1, 200))",
        )
        .await?;
        if db.get_database_backend() == DbBackend::Postgres {
            db.execute_unprepared(
                "ALTER TABLE crm_leads \
                 ALTER COLUMN email TYPE varchar(320) COLLATE \"C\", \
                 ALTER COLUMN phone TYPE varchar(64) COLLATE \"C\", \
                 ALTER COLUMN name_key TYPE varchar(200) COLLATE \"C\", \
                 ALTER COLUMN last_name_key TYPE varchar(200) COLLATE \"C\"",
            )
            .await?;
        }
        // Replaced by (created_at, id): the default order with its tie-break.
        m.drop_index(Index::drop().name("ix_crm_leads_created_at").table("crm_leads").to_owned())
            .await?;
        for cols in INDEXES {
            m.create_index(index("crm_leads", cols, false)).await?;
        }

        m.create_table(
            Table::create()
                .table("crm_lead_imports")
                .col(big_pk_auto("id"))
                .col(string_len("uuid", 36).unique_key())
                .col(big_integer_null("created_by"))
                .col(string_len("status", 16))
                .col(integer("total"))
                .col(integer("processed"))
                .col(integer("saved"))
                .col(integer("updated"))
                .col(integer("failed"))
                .col(text("errors"))
                .col(ts("created_at"))
                .col(ts("updated_at"))
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("crm_lead_imports").to_owned()).await?;
        for cols in INDEXES {
            m.drop_index(Index::drop().name(ix_name(cols)).table("crm_leads").to_owned()).await?;
        }
        m.create_index(index("crm_leads", &["created_at"], false)).await?;
        for col in
            ["sales_desk_id", "sales_status_id", "last_contact_at", "name_key", "last_name_key"]
        {
            m.alter_table(Table::alter().table("crm_leads").drop_column(col).to_owned()).await?;
        }
        Ok(())
    }
}
