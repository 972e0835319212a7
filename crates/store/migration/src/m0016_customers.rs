//! Customers (seed 002 tags "Customers - Admin APIs" and "Customers - Affiliate APIs"): a
//! customer's profile beyond the `users` row (referring affiliate, external id, notes, risk
//! status, KYC reviewer), uploaded documents, assigned groups, and the indexes the customer
//! list filters and sorts on.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::util::{fk, fk_user, index, ts, ts_null};

#[derive(DeriveMigrationName)]
pub struct Migration;

const USER_INDEXES: [&[&str]; 6] = [
    &["role", "created_at"],
    &["role", "updated_at"],
    &["role", "last_login_at"],
    &["role", "country"],
    &["role", "kyc_status"],
    &["role", "source"],
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        use ForeignKeyAction::{Cascade, SetNull};
        m.create_table(
            Table::create()
                .table("customer_profiles")
                .col(big_integer("customer_id").primary_key())
                .col(big_integer_null("affiliate_id"))
                .col(string_len_null("external_id", 128))
                .col(text_null("notes"))
                .col(string_len_null("risk_status", 16))
                .col(big_integer_null("kyc_reviewed_by"))
                .col(ts_null("kyc_reviewed_at"))
                .col(ts("updated_at"))
                .foreign_key(&mut fk_user("customer_profiles", "customer_id"))
                .foreign_key(&mut fk("customer_profiles", "affiliate_id", "users", SetNull))
                .foreign_key(&mut fk("customer_profiles", "kyc_reviewed_by", "users", SetNull))
                .to_owned(),
        )
        .await?;
        // An affiliate's external ids are unique among its referrals.
        m.create_index(index("customer_profiles", &["affiliate_id", "external_id"], true)).await?;
        m.create_index(index("customer_profiles", &["risk_status"], false)).await?;

        m.create_table(
            Table::create()
                .table("customer_documents")
                .col(big_pk_auto("id"))
                .col(string_len("uuid", 36).unique_key())
                .col(big_integer("customer_id"))
                .col(string_len("file_key", 255))
                .col(string_len("filename", 255))
                .col(string_len("content_type", 100))
                .col(big_integer("size_bytes"))
                .col(big_integer_null("uploaded_by"))
                .col(ts("created_at"))
                .foreign_key(&mut fk_user("customer_documents", "customer_id"))
                .foreign_key(&mut fk("customer_documents", "uploaded_by", "users", SetNull))
                .to_owned(),
        )
        .await?;
        m.create_index(index("customer_documents", &["customer_id", "id"], false)).await?;

        m.create_table(
            Table::create()
                .table("customer_groups")
                .col(big_integer("customer_id"))
                .col(big_integer("group_id"))
                .primary_key(Index::create().col("customer_id").col("group_id"))
                .foreign_key(&mut fk_user("customer_groups", "customer_id"))
                .foreign_key(&mut fk("customer_groups", "group_id", "trading_groups", Cascade))
                .to_owned(),
        )
        .await?;
        m.create_index(index("customer_groups", &["group_id"], false)).await?;

        for cols in USER_INDEXES {
            let mut ix = Index::create();
            ix.name(format!("ix_users_{}", cols.join("_"))).table("users");
            for c in cols {
                ix.col(*c);
            }
            m.create_index(ix.to_owned()).await?;
        }
        m.create_index(index("crm_leads", &["affiliate_id"], false)).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(Index::drop().name("ix_crm_leads_affiliate_id").table("crm_leads").to_owned())
            .await?;
        for cols in USER_INDEXES {
            m.drop_index(
                Index::drop()
                    .name(format!("ix_users_{}", cols.join("_")))
                    .table("users")
                    .to_owned(),
            )
            .await?;
        }
        for t in ["customer_groups", "customer_documents", "customer_profiles"] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
