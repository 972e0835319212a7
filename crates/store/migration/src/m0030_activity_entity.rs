//! An index on `activities(entity_id, id)`: a customer's 360° page shows the newest audit
//! entries about that customer, which must not scan the whole audit log.

use sea_orm_migration::prelude::*;

use crate::util::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_index(index("activities", &["entity_id", "id"], false)).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let drop = Index::drop().name("ix_activities_entity_id_id").table("activities").to_owned();
        m.drop_index(drop).await
    }
}
