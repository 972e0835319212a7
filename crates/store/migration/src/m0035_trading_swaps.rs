//! Swaps and NEO durations (issue 15): each position records the last rollover day it was
//! charged for (`swap_date`, `YYYY-MM-DD`: the fence that makes a rollover apply once per
//! position and day) and, for a NEO position with a duration, when it closes by itself
//! (`close_due_at`, indexed with the status for the evaluator's due query).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::util::{index, ts_null};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let mut day = string_len_null("swap_date", 10);
        m.alter_table(Table::alter().table("positions").add_column(&mut day).to_owned()).await?;
        let mut due = ts_null("close_due_at");
        m.alter_table(Table::alter().table("positions").add_column(&mut due).to_owned()).await?;
        m.create_index(index("positions", &["status", "close_due_at"], false)).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(
            Index::drop().name("ix_positions_status_close_due_at").table("positions").to_owned(),
        )
        .await?;
        for col in ["close_due_at", "swap_date"] {
            m.alter_table(Table::alter().table("positions").drop_column(col).to_owned()).await?;
        }
        Ok(())
    }
}
