//! Indexes found by the hot-path benchmarks: `activities(entity_id, id)` (a customer's 360°
//! page shows the newest audit entries about that customer, without scanning the audit log)
//! and `jobs(status, run_at, id)` (the job runner's claim reads due jobs in that order, so a
//! backlog is not sorted on every poll).

use sea_orm_migration::prelude::*;

use crate::util::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_index(index("activities", &["entity_id", "id"], false)).await?;
        m.create_index(index("jobs", &["status", "run_at", "id"], false)).await?;
        m.drop_index(Index::drop().name("ix_jobs_status_run_at").table("jobs").to_owned()).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_index(index("jobs", &["status", "run_at"], false)).await?;
        let jobs = Index::drop().name("ix_jobs_status_run_at_id").table("jobs").to_owned();
        m.drop_index(jobs).await?;
        let drop = Index::drop().name("ix_activities_entity_id_id").table("activities").to_owned();
        m.drop_index(drop).await
    }
}
