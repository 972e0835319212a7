//! CSV uploads of CRM leads: the import record with its progress counters and per-row
//! errors, and the customer lookup the upload's dedup needs.

use brokercrm_core::Result;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter,
    QuerySelect, Set,
};

use crate::db::now;
use crate::entities::crm_lead_imports::{self as li, Entity as LeadImport};
use crate::entities::users::{self, Entity as User};
use crate::error::DbResultExt;

pub use crate::entities::crm_lead_imports::Model as LeadImportRow;

pub async fn insert<C: ConnectionTrait>(
    conn: &C,
    uuid: &str,
    created_by: i64,
    total: i32,
) -> Result<LeadImportRow> {
    let at = now();
    li::ActiveModel {
        uuid: Set(uuid.to_owned()),
        created_by: Set(Some(created_by)),
        status: Set("running".to_owned()),
        total: Set(total),
        processed: Set(0),
        saved: Set(0),
        updated: Set(0),
        failed: Set(0),
        errors: Set("[]".to_owned()),
        created_at: Set(at),
        updated_at: Set(at),
        ..Default::default()
    }
    .insert(conn)
    .await
    .db()
}

/// Progress of an import.
#[derive(Debug, Clone, Default)]
pub struct Progress {
    pub status: &'static str,
    pub processed: i32,
    pub saved: i32,
    pub updated: i32,
    pub failed: i32,
    /// JSON array of row errors.
    pub errors: String,
}

pub async fn set_progress<C: ConnectionTrait>(conn: &C, id: i64, p: &Progress) -> Result<()> {
    LeadImport::update_many()
        .col_expr(li::Column::Status, Expr::value(p.status))
        .col_expr(li::Column::Processed, Expr::value(p.processed))
        .col_expr(li::Column::Saved, Expr::value(p.saved))
        .col_expr(li::Column::Updated, Expr::value(p.updated))
        .col_expr(li::Column::Failed, Expr::value(p.failed))
        .col_expr(li::Column::Errors, Expr::value(p.errors.clone()))
        .col_expr(li::Column::UpdatedAt, Expr::value(now()))
        .filter(li::Column::Id.eq(id))
        .exec(conn)
        .await
        .db()
        .map(|_| ())
}

pub async fn find_by_uuid<C: ConnectionTrait>(
    conn: &C,
    uuid: &str,
) -> Result<Option<LeadImportRow>> {
    LeadImport::find().filter(li::Column::Uuid.eq(uuid)).one(conn).await.db()
}

/// `(email, mobile number)` of the customers whose e-mail or mobile number is given.
pub async fn customers_matching<C: ConnectionTrait>(
    conn: &C,
    emails: &[String],
    phones: &[String],
) -> Result<Vec<(String, Option<String>)>> {
    if emails.is_empty() && phones.is_empty() {
        return Ok(Vec::new());
    }
    let mut any = Condition::any();
    if !emails.is_empty() {
        any = any.add(users::Column::Email.is_in(emails.to_vec()));
    }
    if !phones.is_empty() {
        any = any.add(users::Column::Mobilenumber.is_in(phones.to_vec()));
    }
    User::find()
        .select_only()
        .column(users::Column::Email)
        .column(users::Column::Mobilenumber)
        .filter(Condition::all().add(users::Column::Role.eq("customer")).add(any))
        .into_tuple()
        .all(conn)
        .await
        .db()
}

/// Sales people (managers and agents), by name, at most `limit`; only members of `desk` when
/// given.
pub async fn sales_people<C: ConnectionTrait>(
    conn: &C,
    desk: Option<i64>,
    limit: u64,
) -> Result<Vec<crate::repo::identity::users::UserRow>> {
    use sea_orm::QueryOrder;
    use sea_orm::sea_query::{ExprTrait, Query};

    use crate::entities::sales_desk_members as sdm;
    let mut cond = Condition::all().add(users::Column::Role.is_in([
        "manager",
        "conversion_agent",
        "retention_agent",
    ]));
    if let Some(d) = desk {
        let sub = Query::select()
            .column(sdm::Column::UserId)
            .from(sdm::Entity)
            .and_where(Expr::col(sdm::Column::DeskId).eq(d))
            .to_owned();
        cond = cond.add(users::Column::Id.in_subquery(sub));
    }
    User::find()
        .filter(cond)
        .order_by_asc(users::Column::Email)
        .order_by_asc(users::Column::Id)
        .limit(limit)
        .all(conn)
        .await
        .db()
}

/// The user whose referral code (`ref_key`) is `code`.
pub async fn user_by_ref_key<C: ConnectionTrait>(
    conn: &C,
    code: &str,
) -> Result<Option<crate::repo::identity::users::UserRow>> {
    User::find().filter(users::Column::RefKey.eq(code)).one(conn).await.db()
}
