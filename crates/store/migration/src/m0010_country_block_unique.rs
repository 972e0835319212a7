//! Country blocks become unique per scope — one per (country, offer) and one global per
//! country — so two admins adding the same block at once cannot both succeed on PostgreSQL
//! (the read-then-insert check only serialises on SQLite). Existing duplicates are removed,
//! keeping the oldest.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        db.execute_unprepared(
            "DELETE FROM country_blocks WHERE id NOT IN \
             (SELECT MIN(id) FROM country_blocks GROUP BY country, offer_id)",
        )
        .await?;
        m.drop_index(
            Index::drop()
                .name("ix_country_blocks_country_offer_id")
                .table("country_blocks")
                .to_owned(),
        )
        .await?;
        db.execute_unprepared(
            "CREATE UNIQUE INDEX ux_country_blocks_country_offer_id ON country_blocks (country, offer_id)",
        )
        .await?;
        db.execute_unprepared(
            "CREATE UNIQUE INDEX ux_country_blocks_country_global ON country_blocks (country) \
             WHERE offer_id IS NULL",
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for name in ["ux_country_blocks_country_global", "ux_country_blocks_country_offer_id"] {
            m.drop_index(Index::drop().name(name).table("country_blocks").to_owned()).await?;
        }
        m.create_index(crate::util::index("country_blocks", &["country", "offer_id"], false)).await
    }
}
