//! Users get a token generation: every access token carries the generation of its user, and
//! authentication refuses a token whose generation is not the user's current one. A password
//! change or reset, or disabling the account, bumps it, so every access token of the user fails
//! at once (not after its lifetime).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::big_integer;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let mut col = big_integer("token_generation");
        col.default(0);
        m.alter_table(Table::alter().table("users").add_column(&mut col).to_owned()).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table("users").drop_column("token_generation").to_owned())
            .await
    }
}
