//! An index on `crm_leads.customer_id`: every deposit looks up the lead its customer came from
//! (the FTD conversion), which must not scan the CRM's leads.

use sea_orm_migration::prelude::*;

use crate::util::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_index(index("crm_leads", &["customer_id"], false)).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(Index::drop().name("ix_crm_leads_customer_id").table("crm_leads").to_owned())
            .await
    }
}
