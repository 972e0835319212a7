//! The claim of one batch kind (`jobs::claim_kind`: `status = ? AND kind = ? AND run_at <= ?`
//! in `(run_at, id)` order, and the same for expired leases) reads along `(status, kind,
//! run_at, id)`. Along `(status, run_at, id)` it walked every queued job of every other kind,
//! and the entries their updates left behind, to find none of its own: 4.9 ms a claim on
//! PostgreSQL while deposits queued their e-mail jobs (issue 20, hot deposits).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const NAME: &str = "ix_jobs_status_kind_run_at_id";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let index = Index::create()
            .name(NAME)
            .table("jobs")
            .col("status")
            .col("kind")
            .col("run_at")
            .col("id")
            .to_owned();
        m.create_index(index).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(Index::drop().name(NAME).table("jobs").to_owned()).await
    }
}
