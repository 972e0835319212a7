//! The staff portal's sessions (`web_sessions`: a cookie's hash, its user and token generation,
//! when it started and was last used) and the users' `password_change_required` flag (set on
//! the one-time first-admin password, cleared by the first password change).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::util::{fk_user, index, ts, ts_null};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("web_sessions")
                .col(big_pk_auto("id"))
                .col(big_integer("user_id"))
                .col(string_len_uniq("token_hash", 64))
                .col(big_integer("token_generation"))
                .col(ts("created_at"))
                .col(ts("last_seen_at"))
                .col(ts_null("revoked_at"))
                .foreign_key(&mut fk_user("web_sessions", "user_id"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("web_sessions", &["user_id"], false)).await?;
        let mut col = boolean("password_change_required");
        col.default(false);
        m.alter_table(Table::alter().table("users").add_column(&mut col).to_owned()).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter().table("users").drop_column("password_change_required").to_owned(),
        )
        .await?;
        m.drop_table(Table::drop().table("web_sessions").to_owned()).await
    }
}
