//! Partners' marketing material: files (banners and grey-label logos, served by a random
//! token), banners with their date windows, each introducer's grey-label logos; reference keys
//! unique regardless of case (an index on `lower(ref_key)`, on both databases).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::util::{fk, fk_user, index, ts};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("partner_files")
                .col(big_pk_auto("id"))
                .col(string_len("token", 64))
                .col(string_len("file_key", 200))
                .col(string_len("content_type", 64))
                .col(big_integer("size"))
                .col(ts("created_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("partner_files", &["token"], true)).await?;
        m.create_table(
            Table::create()
                .table("banners")
                .col(big_pk_auto("id"))
                .col(string_len("name", 200))
                .col(ts("start_at"))
                .col(ts("end_at"))
                .col(text_null("link"))
                .col(string_len("link_target", 16))
                .col(big_integer("file_id"))
                .col(ts("created_at"))
                .col(ts("updated_at"))
                .foreign_key(&mut fk(
                    "banners",
                    "file_id",
                    "partner_files",
                    ForeignKeyAction::Restrict,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index("banners", &["start_at", "end_at"], false)).await?;
        m.create_table(
            Table::create()
                .table("grey_label_logos")
                .col(big_integer("user_id").primary_key())
                .col(big_integer("rectangular_file_id"))
                .col(big_integer("square_file_id"))
                .col(ts("updated_at"))
                .foreign_key(&mut fk_user("grey_label_logos", "user_id"))
                .foreign_key(&mut fk(
                    "grey_label_logos",
                    "rectangular_file_id",
                    "partner_files",
                    ForeignKeyAction::Restrict,
                ))
                .foreign_key(&mut fk(
                    "grey_label_logos",
                    "square_file_id",
                    "partner_files",
                    ForeignKeyAction::Restrict,
                ))
                .to_owned(),
        )
        .await?;
        m.get_connection()
            .execute_unprepared("CREATE UNIQUE INDEX ix_users_ref_key_ci ON users (lower(ref_key))")
            .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.get_connection().execute_unprepared("DROP INDEX ix_users_ref_key_ci").await?;
        for t in ["grey_label_logos", "banners", "partner_files"] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
