//! Documents and KYC: short-lived single-use file tokens for documents (stored hashed), the
//! SumSub applicant of each customer (its id and the time of the last review applied, so
//! older events are ignored), and every SumSub webhook received (by the digest of its body,
//! so a replay changes nothing).

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
                .table("file_tokens")
                .col(big_pk_auto("id"))
                .col(string_len("token_hash", 64))
                .col(big_integer("document_id"))
                .col(ts("expires_at"))
                .col(ts_null("used_at"))
                .col(ts("created_at"))
                .foreign_key(&mut fk(
                    "file_tokens",
                    "document_id",
                    "customer_documents",
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index("file_tokens", &["token_hash"], true)).await?;
        m.create_index(index("file_tokens", &["document_id"], false)).await?;
        m.create_table(
            Table::create()
                .table("kyc_applicants")
                .col(big_integer("user_id").primary_key())
                .col(string_len_null("applicant_id", 100))
                .col(ts_null("last_event_at"))
                .col(string_len_null("review_answer", 16))
                .col(string_len_null("reject_type", 16))
                .col(ts("updated_at"))
                .foreign_key(&mut fk_user("kyc_applicants", "user_id"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("kyc_webhook_events")
                .col(big_pk_auto("id"))
                .col(string_len("body_digest", 64))
                .col(string_len("event_type", 64))
                .col(string_len_null("applicant_id", 100))
                .col(big_integer_null("user_id"))
                .col(ts_null("event_at"))
                .col(string_len("outcome", 32))
                .col(ts("received_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("kyc_webhook_events", &["body_digest"], true)).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in ["kyc_webhook_events", "kyc_applicants", "file_tokens"] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
