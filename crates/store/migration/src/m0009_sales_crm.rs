//! Sales CRM basics: sales statuses (with colours), sales desks and their sales people, the
//! assignment of customers to a desk, agents and a status, comments on customers, the
//! communications log and staff bookmarks of customers.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::util::{fk, fk_user, index, ts};

#[derive(DeriveMigrationName)]
pub struct Migration;

const TABLES: [&str; 7] = [
    "customer_bookmarks",
    "communications",
    "customer_comments",
    "customer_assignments",
    "sales_desk_members",
    "sales_desks",
    "sales_statuses",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        use ForeignKeyAction::{Cascade, SetNull};
        m.create_table(
            Table::create()
                .table("sales_statuses")
                .col(big_pk_auto("id"))
                .col(string_len("status", 100))
                // Lower-cased `status`: names are unique regardless of case.
                .col(string_len("status_key", 100).unique_key())
                .col(string_len("color", 7))
                .col(ts("created_at"))
                .col(ts("updated_at"))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("sales_desks")
                .col(big_pk_auto("id"))
                .col(string_len("uuid", 36).unique_key())
                .col(string_len("name", 100))
                .col(string_len("name_key", 100).unique_key())
                .col(ts("created_at"))
                .col(ts("updated_at"))
                .to_owned(),
        )
        .await?;

        // A sales person belongs to at most one desk (primary key on the user).
        m.create_table(
            Table::create()
                .table("sales_desk_members")
                .col(big_integer("user_id").primary_key())
                .col(big_integer("desk_id"))
                .col(ts("created_at"))
                .foreign_key(&mut fk_user("sales_desk_members", "user_id"))
                .foreign_key(&mut fk("sales_desk_members", "desk_id", "sales_desks", Cascade))
                .to_owned(),
        )
        .await?;
        m.create_index(index("sales_desk_members", &["desk_id"], false)).await?;

        m.create_table(
            Table::create()
                .table("customer_assignments")
                .col(big_integer("customer_id").primary_key())
                .col(big_integer_null("sales_desk_id"))
                .col(big_integer_null("conversion_agent_id"))
                .col(big_integer_null("retention_agent_id"))
                .col(big_integer_null("sales_status_id"))
                .col(ts("updated_at"))
                .foreign_key(&mut fk_user("customer_assignments", "customer_id"))
                .foreign_key(&mut fk(
                    "customer_assignments",
                    "sales_desk_id",
                    "sales_desks",
                    SetNull,
                ))
                .foreign_key(&mut fk(
                    "customer_assignments",
                    "conversion_agent_id",
                    "users",
                    SetNull,
                ))
                .foreign_key(&mut fk(
                    "customer_assignments",
                    "retention_agent_id",
                    "users",
                    SetNull,
                ))
                .foreign_key(&mut fk(
                    "customer_assignments",
                    "sales_status_id",
                    "sales_statuses",
                    SetNull,
                ))
                .to_owned(),
        )
        .await?;
        for col in ["sales_desk_id", "conversion_agent_id", "retention_agent_id", "sales_status_id"]
        {
            m.create_index(index("customer_assignments", &[col], false)).await?;
        }

        m.create_table(
            Table::create()
                .table("customer_comments")
                .col(big_pk_auto("id"))
                .col(string_len("uuid", 36).unique_key())
                .col(big_integer("customer_id"))
                .col(big_integer_null("author_id"))
                .col(text("body"))
                .col(ts("created_at"))
                .col(ts("updated_at"))
                .foreign_key(&mut fk_user("customer_comments", "customer_id"))
                .foreign_key(&mut fk("customer_comments", "author_id", "users", SetNull))
                .to_owned(),
        )
        .await?;
        m.create_index(index("customer_comments", &["customer_id", "created_at"], false)).await?;

        m.create_table(
            Table::create()
                .table("communications")
                .col(big_pk_auto("id"))
                .col(string_len("uuid", 36).unique_key())
                .col(big_integer_null("customer_id"))
                .col(big_integer_null("crm_lead_id"))
                .col(string_len("kind", 16))
                .col(string_len("direction", 16))
                .col(string_len_null("subject", 255))
                .col(text_null("body"))
                .col(integer_null("duration_secs"))
                .col(string_len_null("recording_url", 1000))
                .col(string_len_null("provider", 32))
                .col(string_len_null("external_id", 255))
                .col(big_integer_null("author_id"))
                .col(ts("occurred_at"))
                .col(ts("created_at"))
                .foreign_key(&mut fk_user("communications", "customer_id"))
                .foreign_key(&mut fk("communications", "crm_lead_id", "crm_leads", Cascade))
                .foreign_key(&mut fk("communications", "author_id", "users", SetNull))
                .to_owned(),
        )
        .await?;
        m.create_index(index("communications", &["customer_id", "occurred_at"], false)).await?;
        m.create_index(index("communications", &["crm_lead_id", "occurred_at"], false)).await?;
        // Webhook redelivery of the same provider event is recorded once.
        m.create_index(index("communications", &["provider", "external_id"], true)).await?;

        m.create_table(
            Table::create()
                .table("customer_bookmarks")
                .col(big_integer("user_id"))
                .col(big_integer("customer_id"))
                .col(ts("created_at"))
                .primary_key(Index::create().col("user_id").col("customer_id"))
                .foreign_key(&mut fk_user("customer_bookmarks", "user_id"))
                .foreign_key(&mut fk("customer_bookmarks", "customer_id", "users", Cascade))
                .to_owned(),
        )
        .await?;
        m.create_index(index("customer_bookmarks", &["customer_id"], false)).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in TABLES {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
