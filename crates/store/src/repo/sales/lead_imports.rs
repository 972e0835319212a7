//! The `crm_lead_imports` table: CSV uploads of CRM leads, the import record with its
//! progress counters and per-row errors.

use brokercrm_core::Result;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

use crate::db::now;
use crate::entities::crm_lead_imports::{self as li, Entity as LeadImport};
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
