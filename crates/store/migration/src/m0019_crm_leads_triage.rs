//! CRM leads get one composite index for the triage list an agent filters all day — country,
//! source and sales status, newest first — so "3 filters + search" reads the few hundred
//! leads matching the three filters and checks the search on those, instead of combining
//! bitmaps (PostgreSQL) or walking a search index (SQLite) over tens of thousands of rows.

use sea_orm_migration::prelude::*;

use crate::util::index;

const COLUMNS: [&str; 4] = ["country", "source", "sales_status_id", "created_at"];

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_index(index("crm_leads", &COLUMNS, false)).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(
            Index::drop()
                .name("ix_crm_leads_country_source_sales_status_id_created_at")
                .table("crm_leads")
                .to_owned(),
        )
        .await
    }
}
