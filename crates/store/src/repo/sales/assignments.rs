//! Customer assignments: a customer's sales desk, conversion and retention agents and sales
//! status (one row per assigned customer; no row = unassigned), and the scope condition built
//! from them.

use brokercrm_core::Result;
use brokercrm_core::sales::CustomerScope;
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict, Query, SimpleExpr};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, Set};

use crate::db::now;
use crate::entities::customer_assignments::{self as ca, Entity as Assignment};
use crate::entities::users;
use crate::error::DbResultExt;

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

/// A condition on `users.id` that holds for the customers in `scope`; `None` for every
/// customer.
pub fn scope_condition(scope: &CustomerScope) -> Option<SimpleExpr> {
    let CustomerScope::Limited { desk_id, user_id, conversion, retention } = *scope else {
        return None;
    };
    let mut any = Condition::any();
    if let Some(d) = desk_id {
        any = any.add(Expr::col(ca::Column::SalesDeskId).eq(d));
    }
    if conversion {
        any = any.add(Expr::col(ca::Column::ConversionAgentId).eq(user_id));
    }
    if retention {
        any = any.add(Expr::col(ca::Column::RetentionAgentId).eq(user_id));
    }
    if any.is_empty() {
        // Nothing is visible (a manager without a desk).
        return Some(Expr::cust("1 = 0"));
    }
    let sub =
        Query::select().column(ca::Column::CustomerId).from(ca::Entity).cond_where(any).to_owned();
    Some(Expr::col((users::Entity, users::Column::Id)).in_subquery(sub))
}
