//! Seeds `countries` with every ISO 3166-1 alpha-2 code from `brokercrm_core::platform::countries`,
//! all enabled. Re-running is harmless: existing codes are left as they are.

use brokercrm_core::platform::countries::COUNTRIES;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let mut insert = Query::insert();
        insert
            .into_table("countries")
            .columns(["id", "name", "enabled", "updated_at"])
            .on_conflict(OnConflict::column("id").do_nothing().to_owned());
        for (code, name) in COUNTRIES {
            insert
                .values([(*code).into(), (*name).into(), true.into(), Expr::current_timestamp()])
                .map_err(|e| DbErr::Migration(e.to_string()))?;
        }
        m.exec_stmt(insert).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.exec_stmt(Query::delete().from_table("countries").to_owned()).await
    }
}
