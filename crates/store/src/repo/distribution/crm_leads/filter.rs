//! The CRM lead list the sales CRM filters, scopes and bulk-edits.
//!
//! Every filter is an indexed column (see migration `m0015_crm_leads_sales`); the search is
//! a byte-order prefix range on `email`, `phone`, `name_key` and `last_name_key`, so it uses
//! a B-tree on both databases.

use brokercrm_core::Result;
use brokercrm_core::distribution::crm_leads::{
    LeadFilter, LeadOrder, LeadOrderBy, LeadScope, Search,
};
use sea_orm::sea_query::{BinOper, Expr, ExprTrait, NullOrdering, Order};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbBackend, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect,
};

use super::delivery::CrmLeadRow;
use crate::db::now;
use crate::entities::crm_leads::{Column as L, Entity as CrmLead};
use crate::error::DbResultExt;

/// How a filter column is compared. `Indexed` is the plain column. `Unindexed` wraps it
/// (`col + 0`, `col || ''`) so that SQLite's planner, which picks one index by its statistics
/// and under-rates prefix ranges, drives a search from the search indexes (a MULTI-INDEX OR)
/// instead of walking a broad filter's index. PostgreSQL combines bitmaps itself and always
/// gets the plain form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Plan {
    Indexed,
    Unindexed,
}

fn plan_for(backend: DbBackend, f: &LeadFilter) -> Plan {
    // Country and source together lead the triage index `(country, source, sales_status_id,
    // created_at)` (m0019), which is narrower than any search range: SQLite may use it.
    let triage = f.country.is_some() && !f.sources.is_empty();
    if backend == DbBackend::Sqlite && f.search.is_some() && !triage {
        Plan::Unindexed
    } else {
        Plan::Indexed
    }
}

fn int_col(col: L, plan: Plan) -> Expr {
    match plan {
        Plan::Indexed => Expr::col(col),
        Plan::Unindexed => Expr::col(col).add(0),
    }
}

fn text_col(col: L, plan: Plan) -> Expr {
    match plan {
        Plan::Indexed => Expr::col(col),
        Plan::Unindexed => Expr::col(col).binary(BinOper::Custom("||"), Expr::val("")),
    }
}

/// The condition for the leads in `scope`; `None` for every lead.
pub fn scope_condition(scope: &LeadScope) -> Option<Condition> {
    scope_condition_with(scope, Plan::Indexed)
}

fn scope_condition_with(scope: &LeadScope, plan: Plan) -> Option<Condition> {
    let LeadScope::Limited { desk_id, user_id, assigned } = *scope else { return None };
    let mut any = Condition::any();
    if let Some(d) = desk_id {
        any = any.add(int_col(L::SalesDeskId, plan).eq(d));
    }
    if assigned {
        any = any.add(int_col(L::SalesPersonId, plan).eq(user_id));
    }
    if any.is_empty() {
        // Nothing is visible (a manager without a desk).
        return Some(Condition::all().add(Expr::cust("1 = 0")));
    }
    Some(any)
}

fn prefix(col: L, p: &str) -> Condition {
    Condition::all().add(col.gte(p)).add(col.lt(Search::upper(p)))
}

/// The condition for a FetchLeadFilters.
fn filter_condition(f: &LeadFilter, plan: Plan) -> Condition {
    let mut all = Condition::all();
    if !f.status_ids.is_empty() || f.status_none {
        let mut any = Condition::any();
        if !f.status_ids.is_empty() {
            any = any.add(int_col(L::SalesStatusId, plan).is_in(f.status_ids.clone()));
        }
        if f.status_none {
            any = any.add(L::SalesStatusId.is_null());
        }
        all = all.add(any);
    }
    if !f.person_ids.is_empty() || f.person_none {
        let mut any = Condition::any();
        if !f.person_ids.is_empty() {
            any = any.add(int_col(L::SalesPersonId, plan).is_in(f.person_ids.clone()));
        }
        if f.person_none {
            any = any.add(L::SalesPersonId.is_null());
        }
        all = all.add(any);
    }
    if !f.sources.is_empty() {
        all = all.add(text_col(L::Source, plan).is_in(f.sources.clone()));
    }
    if let Some(me) = f.assigned_to {
        all = all.add(int_col(L::SalesPersonId, plan).eq(me));
    }
    if let Some(c) = &f.country {
        all = all.add(text_col(L::Country, plan).eq(c.as_str()));
    }
    if let Some(t) = f.modified_before {
        all = all.add(L::UpdatedAt.lt(t));
    }
    if let Some(t) = f.modified_after {
        all = all.add(L::UpdatedAt.gte(t));
    }
    match &f.search {
        None => {}
        Some(Search::Email(p)) => all = all.add(prefix(L::Email, p)),
        Some(Search::Phone(p)) => all = all.add(prefix(L::Phone, p)),
        Some(Search::Text(p)) => {
            all = all.add(
                Condition::any()
                    .add(prefix(L::Email, p))
                    .add(prefix(L::NameKey, p))
                    .add(prefix(L::LastNameKey, p)),
            )
        }
    }
    all
}

fn scoped(backend: DbBackend, scope: &LeadScope, f: &LeadFilter) -> Condition {
    let plan = plan_for(backend, f);
    let mut c = filter_condition(f, plan);
    if let Some(s) = scope_condition_with(scope, plan) {
        c = c.add(s);
    }
    c
}

/// One page of the leads in `scope` matching `f`, ordered by `order` with an id tie-break,
/// and the total count.
pub async fn list<C: ConnectionTrait>(
    conn: &C,
    scope: &LeadScope,
    f: &LeadFilter,
    order: LeadOrder,
    offset: u64,
    limit: u64,
) -> Result<(Vec<CrmLeadRow>, u64)> {
    let q = CrmLead::find().filter(scoped(conn.get_database_backend(), scope, f));
    let total = q.clone().count(conn).await.db()?;
    let dir = if order.desc { Order::Desc } else { Order::Asc };
    let q = match order.by {
        LeadOrderBy::CreatedAt => q.order_by(L::CreatedAt, dir.clone()),
        LeadOrderBy::UpdatedAt => q.order_by(L::UpdatedAt, dir.clone()),
        // Nullable columns: empty values last in either direction, on both databases.
        LeadOrderBy::LastContactAt => {
            q.order_by_with_nulls(L::LastContactAt, dir.clone(), NullOrdering::Last)
        }
        LeadOrderBy::Name => q.order_by_with_nulls(L::NameKey, dir.clone(), NullOrdering::Last),
        LeadOrderBy::Email => q.order_by_with_nulls(L::Email, dir.clone(), NullOrdering::Last),
    };
    let rows = q.order_by(L::Id, dir).offset(offset).limit(limit).all(conn).await.db()?;
    Ok((rows, total))
}

/// What a bulk edit sets.
#[derive(Debug, Clone, Copy, Default)]
pub struct BulkSet {
    pub status_id: Option<i64>,
    /// The sales person and their desk.
    pub person: Option<(i64, Option<i64>)>,
}

/// Sets status and/or sales person on every lead in `scope` matching `f`, in one UPDATE;
/// returns how many rows changed.
pub async fn bulk_update<C: ConnectionTrait>(
    conn: &C,
    scope: &LeadScope,
    f: &LeadFilter,
    set: BulkSet,
) -> Result<u64> {
    let mut up = CrmLead::update_many().col_expr(L::UpdatedAt, Expr::value(now()));
    if let Some(s) = set.status_id {
        up = up.col_expr(L::SalesStatusId, Expr::value(s));
    }
    if let Some((p, desk)) = set.person {
        up = up.col_expr(L::SalesPersonId, Expr::value(p));
        if let Some(d) = desk {
            up = up.col_expr(L::SalesDeskId, Expr::value(d));
        }
    }
    let r = up.filter(scoped(conn.get_database_backend(), scope, f)).exec(conn).await.db()?;
    Ok(r.rows_affected)
}
