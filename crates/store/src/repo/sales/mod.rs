//! Sales CRM: CRM leads and their CSV imports, customers, sales statuses, sales desks and
//! their members, customer assignments, comments, the communications log, calls, bookmarks and
//! the dashboard. One file per table or aggregate.

pub mod assignments;
pub mod bookmarks;
pub mod calls;
pub mod comments;
pub mod communications;
pub mod customers;
pub mod dashboard;
pub mod lead_imports;
pub mod leads;
pub mod sales_desks;
pub mod sales_statuses;

use brokercrm_core::sales::CustomerScope;
use sea_orm::Condition;
use sea_orm::sea_query::{Expr, ExprTrait, Query, SimpleExpr};

use crate::entities::customer_assignments as ca;
use crate::entities::users;

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
