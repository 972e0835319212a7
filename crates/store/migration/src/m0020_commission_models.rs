//! IB commission models: a name (unique regardless of case), grey labelling, the model that
//! applies to sub-introducers, the levels (JSON, validated whole by the application) and which
//! model is the default (at most one: a partial unique index, on both databases).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::util::{fk, ts};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("commission_models")
                .col(big_pk_auto("id"))
                .col(string_len("name", 100))
                .col(string_len("name_key", 100).unique_key())
                .col(boolean("grey_labeling_enabled"))
                .col(big_integer_null("sub_commission_model_id"))
                .col(text("levels"))
                .col(boolean("is_default"))
                .col(ts("created_at"))
                .col(ts("updated_at"))
                .foreign_key(&mut fk(
                    "commission_models",
                    "sub_commission_model_id",
                    "commission_models",
                    ForeignKeyAction::Restrict,
                ))
                .to_owned(),
        )
        .await?;
        m.get_connection()
            .execute_unprepared(
                "CREATE UNIQUE INDEX ix_commission_models_default \
                 ON commission_models (is_default) WHERE is_default",
            )
            .await?;
        m.get_connection()
            .execute_unprepared(
                "CREATE INDEX ix_commission_models_sub_commission_model_id \
                 ON commission_models (sub_commission_model_id)",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("commission_models").to_owned()).await
    }
}
