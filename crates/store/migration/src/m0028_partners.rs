//! The partners context's tables: promotion-link tenants (seed 004, tokens stored hashed) and
//! their links; introducers (IBs) and referrals (each customer at most one introducer); the
//! commission ledger (one record per event, beneficiary, level and kind) and payout requests
//! (at most one pending per introducer: a partial unique index, on both databases).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::util::{fk, fk_user, index, ts, ts_null};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("promo_tenants")
                .col(big_pk_auto("id"))
                .col(string_len("name", 100))
                .col(string_len("token_hash", 64))
                .col(boolean("enabled"))
                .col(ts("created_at"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("promotion_links")
                .col(big_pk_auto("id"))
                .col(big_integer("tenant_id"))
                .col(string_len("entity_no", 64))
                .col(string_len("name", 200))
                .col(string_len("introduce_type", 16))
                .col(string_len("visible_type", 32))
                .col(text("visible_user_ids"))
                .col(text_null("target_url"))
                .col(string_len_null("parameter_type", 8))
                .col(string_len_null("repeat_key", 64))
                .col(text("extras"))
                .col(big_integer_null("owner_user_id"))
                .col(big_integer("clicks"))
                .col(ts_null("last_click_at"))
                .col(ts("created_at"))
                .foreign_key(&mut fk(
                    "promotion_links",
                    "tenant_id",
                    "promo_tenants",
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    "promotion_links",
                    "owner_user_id",
                    "users",
                    ForeignKeyAction::SetNull,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index("promotion_links", &["tenant_id", "entity_no"], true)).await?;
        m.create_index(index("promotion_links", &["tenant_id", "repeat_key"], true)).await?;
        m.create_index(index("promotion_links", &["entity_no"], false)).await?;
        m.create_index(index("promotion_links", &["owner_user_id"], false)).await?;
        m.create_table(
            Table::create()
                .table("introducers")
                .col(big_integer("user_id").primary_key())
                .col(big_integer_null("commission_model_id"))
                .col(ts("created_at"))
                .foreign_key(&mut fk_user("introducers", "user_id"))
                .foreign_key(&mut fk(
                    "introducers",
                    "commission_model_id",
                    "commission_models",
                    ForeignKeyAction::SetNull,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index("introducers", &["commission_model_id"], false)).await?;
        m.create_table(
            Table::create()
                .table("referrals")
                .col(big_integer("customer_id").primary_key())
                .col(big_integer("introducer_id"))
                .col(string_len("source", 32))
                .col(big_integer_null("promotion_link_id"))
                .col(ts("created_at"))
                .foreign_key(&mut fk_user("referrals", "customer_id"))
                .foreign_key(
                    &mut ForeignKey::create()
                        .name("fk_referrals_introducer_id")
                        .from("referrals", "introducer_id")
                        .to("users", "id")
                        .on_delete(ForeignKeyAction::Restrict)
                        .to_owned(),
                )
                .foreign_key(&mut fk(
                    "referrals",
                    "promotion_link_id",
                    "promotion_links",
                    ForeignKeyAction::SetNull,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index("referrals", &["introducer_id", "customer_id"], false)).await?;
        m.create_index(index("referrals", &["promotion_link_id"], false)).await?;
        m.create_table(
            Table::create()
                .table("commission_records")
                .col(big_pk_auto("id"))
                .col(big_integer("introducer_id"))
                .col(big_integer("referral_id"))
                .col(small_integer("level"))
                .col(string_len("commission_type", 16))
                .col(string_len("action_type", 32))
                .col(text("action_details"))
                .col(string_len("source_key", 128))
                .col(big_integer("amount"))
                .col(big_integer_null("corrected_amount"))
                .col(string_len("currency", 8))
                .col(string_len("transfer_id", 128))
                .col(ts("action_at"))
                .col(big_integer_null("payout_request_id"))
                .col(ts_null("payout_at"))
                .col(big_integer_null("admin_id"))
                .col(text_null("admin_comments"))
                .col(ts("created_at"))
                .col(ts("updated_at"))
                .foreign_key(&mut fk_user("commission_records", "introducer_id"))
                .foreign_key(&mut fk_user("commission_records", "referral_id"))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "commission_records",
            &["source_key", "commission_type", "introducer_id", "level"],
            true,
        ))
        .await?;
        m.create_index(index("commission_records", &["introducer_id", "id"], false)).await?;
        m.create_index(index("commission_records", &["payout_request_id"], false)).await?;
        m.create_table(
            Table::create()
                .table("payout_requests")
                .col(big_pk_auto("id"))
                .col(big_integer("introducer_id"))
                .col(big_integer("payout_wallet_id"))
                .col(big_integer("amount"))
                .col(string_len("currency", 8))
                .col(string_len("status", 16))
                .col(string_len("reserve_transfer_id", 128))
                .col(string_len_null("transaction_id", 128))
                .col(ts("requested_at"))
                .col(ts_null("approved_at"))
                .col(ts_null("rejected_at"))
                .col(text_null("reject_reason"))
                .col(big_integer_null("admin_id"))
                .col(ts("created_at"))
                .col(ts("updated_at"))
                .foreign_key(&mut fk_user("payout_requests", "introducer_id"))
                .foreign_key(&mut fk(
                    "payout_requests",
                    "payout_wallet_id",
                    "wallets",
                    ForeignKeyAction::Restrict,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index("payout_requests", &["introducer_id", "id"], false)).await?;
        m.create_index(index("payout_requests", &["status", "id"], false)).await?;
        m.get_connection()
            .execute_unprepared(
                "CREATE UNIQUE INDEX ix_payout_requests_pending \
                 ON payout_requests (introducer_id) WHERE status = 'PENDING'",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            "payout_requests",
            "commission_records",
            "referrals",
            "introducers",
            "promotion_links",
            "promo_tenants",
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
