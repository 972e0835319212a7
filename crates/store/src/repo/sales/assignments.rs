//! Customer assignments: a customer's sales desk, conversion and retention agents and sales
//! status (one row per assigned customer; no row = unassigned). The scope condition built from
//! them is identity's read, re-exported.

use brokercrm_core::Result;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

use crate::db::now;
use crate::entities::customer_assignments::{self as ca, Entity as Assignment};
use crate::error::DbResultExt;

/// The scope condition is identity's read (`repo::identity::scope`), re-exported here.
pub use crate::repo::identity::scope::scope_condition;

pub use crate::entities::customer_assignments::Model as AssignmentRow;

pub async fn find<C: ConnectionTrait>(conn: &C, customer_id: i64) -> Result<Option<AssignmentRow>> {
    Assignment::find_by_id(customer_id).one(conn).await.db()
}

/// Assignments of these customers (any order).
pub async fn find_many<C: ConnectionTrait>(conn: &C, ids: &[i64]) -> Result<Vec<AssignmentRow>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Assignment::find().filter(ca::Column::CustomerId.is_in(ids.to_vec())).all(conn).await.db()
}

/// Inserts or replaces the assignment of `row.customer_id`.
pub async fn upsert<C: ConnectionTrait>(conn: &C, row: AssignmentRow) -> Result<()> {
    let am = ca::ActiveModel {
        customer_id: Set(row.customer_id),
        sales_desk_id: Set(row.sales_desk_id),
        conversion_agent_id: Set(row.conversion_agent_id),
        retention_agent_id: Set(row.retention_agent_id),
        sales_status_id: Set(row.sales_status_id),
        updated_at: Set(now()),
    };
    Assignment::insert(am)
        .on_conflict(
            OnConflict::column(ca::Column::CustomerId)
                .update_columns([
                    ca::Column::SalesDeskId,
                    ca::Column::ConversionAgentId,
                    ca::Column::RetentionAgentId,
                    ca::Column::SalesStatusId,
                    ca::Column::UpdatedAt,
                ])
                .to_owned(),
        )
        .exec_without_returning(conn)
        .await
        .db()
        .map(|_| ())
}
