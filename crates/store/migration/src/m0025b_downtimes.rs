//! Downtimes: windows in which trading the listed symbols is closed (title, start, end, the
//! symbols as a JSON array).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::util::{index, ts};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("downtimes")
                .col(big_pk_auto("id"))
                .col(string_len("title", 200))
                .col(ts("start_date"))
                .col(ts("end_date"))
                .col(text("symbols"))
                .col(ts("created_at"))
                .col(ts("updated_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("downtimes", &["end_date", "start_date"], false)).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("downtimes").to_owned()).await
    }
}
