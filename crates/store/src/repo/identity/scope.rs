//! The customer scope's reads (`core::identity::scope`): the desk a staff user sits on, a
//! customer's assignment, and a scope as a condition on a user-id column. Sales owns and
//! writes `sales_desk_members` and `customer_assignments`; these read-only queries sit in
//! identity, below every context that applies the scope (money, sales), so none of them has
//! to import sales (`sales_desks::desk_of` and `assignments::scope_condition` re-export them).

use brokercrm_core::Result;
use brokercrm_core::identity::auth::Role;
use brokercrm_core::identity::scope::{Assignment, CustomerScope};
use sea_orm::sea_query::{Expr, ExprTrait, IntoColumnRef, Query, SimpleExpr};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};

use crate::entities::customer_assignments::{self as ca, Entity as Assignments};
use crate::entities::sales_desk_members::Entity as Member;
use crate::entities::users;
use crate::error::DbResultExt;

/// The sales desk `user_id` sits on, if any.
pub async fn desk_of<C: ConnectionTrait>(conn: &C, user_id: i64) -> Result<Option<i64>> {
    Ok(Member::find_by_id(user_id).one(conn).await.db()?.map(|m| m.desk_id))
}

/// Who customer `customer_id` is assigned to (nobody: the default).
pub async fn assignment_of<C: ConnectionTrait>(conn: &C, customer_id: i64) -> Result<Assignment> {
    Ok(Assignments::find_by_id(customer_id)
        .one(conn)
        .await
        .db()?
        .map(|r| Assignment {
            desk_id: r.sales_desk_id,
            conversion_agent_id: r.conversion_agent_id,
            retention_agent_id: r.retention_agent_id,
        })
        .unwrap_or_default())
}

/// The ids of the customers in `scope` (`None`: every customer).
pub async fn customers_in<C: ConnectionTrait>(
    conn: &C,
    scope: &CustomerScope,
) -> Result<Option<Vec<i64>>> {
    let Some(cond) = scope_condition(scope) else { return Ok(None) };
    let ids = users::Entity::find()
        .select_only()
        .column(users::Column::Id)
        .filter(users::Column::Role.eq(Role::Customer.as_str()))
        .filter(cond)
        .into_tuple::<i64>()
        .all(conn)
        .await
        .db()?;
    Ok(Some(ids))
}

/// A condition on `users.id` that holds for the customers in `scope`; `None` for every
/// customer.
pub fn scope_condition(scope: &CustomerScope) -> Option<SimpleExpr> {
    scope_condition_on(scope, (users::Entity, users::Column::Id))
}

/// A condition on the user-id column `col` (e.g. `wallets.user_id`) that holds for the
/// customers in `scope`; `None` for every customer.
pub fn scope_condition_on(scope: &CustomerScope, col: impl IntoColumnRef) -> Option<SimpleExpr> {
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
    Some(Expr::col(col).in_subquery(sub))
}
