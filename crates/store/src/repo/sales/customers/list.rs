//! The customer list: every filter of "Get all customers" and the affiliate's referral list,
//! as indexed conditions on `users` (role `customer`) and subqueries on the tables keyed by
//! customer; a stable order (tie-break on id) and a bounded page.

use brokercrm_core::Result;
use brokercrm_core::sales::CustomerScope;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, Func, LikeExpr, Query, SimpleExpr};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, Order, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Select,
};

use crate::entities::crm_leads as cl;
use crate::entities::customer_assignments as ca;
use crate::entities::customer_groups as cg;
use crate::entities::customer_profiles as cp;
use crate::entities::users::{self, Column as U, Entity as User};
use crate::error::DbResultExt;
use crate::repo::identity::users::UserRow;
use crate::repo::money::ledger::customer_moves::moves;
use crate::repo::sales::scope_condition;

/// Sort keys; ties always by id in the same direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortKey {
    #[default]
    CreatedAt,
    UpdatedAt,
    Name,
    Email,
    Country,
    LastActive,
    Id,
}

/// Inclusive bounds of a number of deposits (`hi` `None`: no upper bound).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CountRange {
    pub lo: u64,
    pub hi: Option<u64>,
}

/// What to list. Ids are internal; an empty `Vec` means "no filter". Referenced records that
/// do not exist are resolved by the caller to ids that match nothing.
#[derive(Debug, Clone, Default)]
pub struct CustomerFilter {
    /// Staff scope (`None`: no staff scope, e.g. an affiliate's own list).
    pub scope: Option<CustomerScope>,
    /// Only the referrals of this affiliate (profile or CRM lead).
    pub referred_by: Option<i64>,
    /// Case-insensitive part of e-mail, first or last name or phone; a number also matches
    /// the account id, a UUID the public id.
    pub search: Option<String>,
    pub country: Option<String>,
    pub group_id: Option<i64>,
    pub last_active_from: Option<DateTime<Utc>>,
    pub last_active_to: Option<DateTime<Utc>>,
    pub created_from: Option<DateTime<Utc>>,
    pub created_to: Option<DateTime<Utc>>,
    pub statuses: Vec<String>,
    pub kyc_statuses: Vec<String>,
    /// Only customers who want to become leaders.
    pub leaders_only: bool,
    pub sources: Vec<String>,
    pub deposit_count: Option<CountRange>,
    pub sales_status_id: Option<i64>,
    /// `Some(t, true)`: active since `t`; `Some(t, false)`: not active since `t` (or never).
    pub active_since: Option<(DateTime<Utc>, bool)>,
    pub updated_from: Option<DateTime<Utc>>,
    pub updated_to: Option<DateTime<Utc>>,
    pub risk_status: Option<String>,
    pub external_id: Option<String>,
    pub retention_agents: Vec<i64>,
    pub conversion_agents: Vec<i64>,
    /// Matches nothing (a filter on something that cannot exist yet, such as open positions).
    pub none: bool,
}

fn col(c: U) -> SimpleExpr {
    Expr::col((users::Entity, c))
}

fn in_profiles(cond: SimpleExpr) -> SimpleExpr {
    let sub =
        Query::select().column(cp::Column::CustomerId).from(cp::Entity).and_where(cond).to_owned();
    col(U::Id).in_subquery(sub)
}

fn in_assignments(cond: SimpleExpr) -> SimpleExpr {
    let sub =
        Query::select().column(ca::Column::CustomerId).from(ca::Entity).and_where(cond).to_owned();
    col(U::Id).in_subquery(sub)
}

/// The referrals of affiliate `id`: customers whose profile names it, or who came from one of
/// its leads.
pub fn referred_by(id: i64) -> SimpleExpr {
    let leads = Query::select()
        .column(cl::Column::CustomerId)
        .from(cl::Entity)
        .and_where(Expr::col(cl::Column::AffiliateId).eq(id))
        .and_where(Expr::col(cl::Column::CustomerId).is_not_null())
        .to_owned();
    Condition::any()
        .add(in_profiles(Expr::col(cp::Column::AffiliateId).eq(id)))
        .add(col(U::Id).in_subquery(leads))
        .into()
}

fn deposit_count(r: CountRange) -> Option<SimpleExpr> {
    let having = |lo: u64, hi: Option<u64>| {
        let mut q = moves("DEPOSIT", true)
            .group_by_col((
                crate::entities::wallets::Entity,
                crate::entities::wallets::Column::UserId,
            ))
            .to_owned();
        q.and_having(Expr::cust("COUNT(*)").gte(lo as i64));
        if let Some(h) = hi {
            q.and_having(Expr::cust("COUNT(*)").lte(h as i64));
        }
        q
    };
    match (r.lo, r.hi) {
        (0, None) => None,
        // At most `h`: everyone but those with more.
        (0, Some(h)) => Some(col(U::Id).not_in_subquery(having(h + 1, None))),
        (lo, hi) => Some(col(U::Id).in_subquery(having(lo, hi))),
    }
}

fn like_any(search: &str) -> Condition {
    let escaped =
        search.to_lowercase().replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
    let mut any = Condition::any();
    for c in [U::Email, U::Firstname, U::Lastname, U::Mobilenumber] {
        let pattern = LikeExpr::new(format!("%{escaped}%")).escape('\\');
        any = any.add(Expr::expr(Func::lower(col(c))).like(pattern));
    }
    if let Ok(id) = search.trim().parse::<i64>() {
        any = any.add(col(U::Id).eq(id));
    }
    if uuid::Uuid::parse_str(search.trim()).is_ok() {
        any = any.add(col(U::Uuid).eq(search.trim().to_lowercase()));
    }
    any
}

/// The filtered query (customers only).
pub fn filtered(f: &CustomerFilter) -> Select<User> {
    let mut q = User::find().filter(U::Role.eq("customer"));
    if f.none {
        return q.filter(Expr::cust("1 = 0"));
    }
    if let Some(cond) = f.scope.as_ref().and_then(scope_condition) {
        q = q.filter(cond);
    }
    if let Some(a) = f.referred_by {
        q = q.filter(referred_by(a));
    }
    if let Some(s) = f.search.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        q = q.filter(like_any(s));
    }
    if let Some(c) = &f.country {
        q = q.filter(U::Country.eq(c.clone()));
    }
    if let Some(g) = f.group_id {
        let sub = Query::select()
            .column(cg::Column::CustomerId)
            .from(cg::Entity)
            .and_where(Expr::col(cg::Column::GroupId).eq(g))
            .to_owned();
        q = q.filter(col(U::Id).in_subquery(sub));
    }
    let range = |q: Select<User>, c: U, from: Option<DateTime<Utc>>, to: Option<DateTime<Utc>>| {
        let q = match from {
            Some(t) => q.filter(c.gte(t)),
            None => q,
        };
        match to {
            Some(t) => q.filter(c.lte(t)),
            None => q,
        }
    };
    q = range(q, U::LastLoginAt, f.last_active_from, f.last_active_to);
    q = range(q, U::CreatedAt, f.created_from, f.created_to);
    q = range(q, U::UpdatedAt, f.updated_from, f.updated_to);
    if !f.statuses.is_empty() {
        q = q.filter(U::Status.is_in(f.statuses.clone()));
    }
    if !f.kyc_statuses.is_empty() {
        q = q.filter(U::KycStatus.is_in(f.kyc_statuses.clone()));
    }
    if f.leaders_only {
        q = q.filter(U::WantsToBecomeLeader.eq(true));
    }
    if !f.sources.is_empty() {
        q = q.filter(U::Source.is_in(f.sources.clone()));
    }
    if let Some(cond) = f.deposit_count.and_then(deposit_count) {
        q = q.filter(cond);
    }
    if let Some(s) = f.sales_status_id {
        q = q.filter(in_assignments(Expr::col(ca::Column::SalesStatusId).eq(s)));
    }
    match f.active_since {
        Some((t, true)) => q = q.filter(U::LastLoginAt.gte(t)),
        Some((t, false)) => {
            q = q.filter(Condition::any().add(U::LastLoginAt.is_null()).add(U::LastLoginAt.lt(t)))
        }
        None => {}
    }
    if let Some(r) = &f.risk_status {
        q = q.filter(in_profiles(Expr::col(cp::Column::RiskStatus).eq(r.clone())));
    }
    if let Some(x) = &f.external_id {
        q = q.filter(in_profiles(Expr::col(cp::Column::ExternalId).eq(x.clone())));
    }
    if !f.retention_agents.is_empty() {
        let ids = f.retention_agents.clone();
        q = q.filter(in_assignments(Expr::col(ca::Column::RetentionAgentId).is_in(ids)));
    }
    if !f.conversion_agents.is_empty() {
        let ids = f.conversion_agents.clone();
        q = q.filter(in_assignments(Expr::col(ca::Column::ConversionAgentId).is_in(ids)));
    }
    q
}

fn blank_if_null(c: U) -> SimpleExpr {
    Func::coalesce([col(c), Expr::val("")]).into()
}

/// Orders `q` by `sort` (descending when `desc`), then by id.
pub fn ordered(q: Select<User>, sort: SortKey, desc: bool) -> Select<User> {
    let dir = if desc { Order::Desc } else { Order::Asc };
    let q = match sort {
        SortKey::CreatedAt => q.order_by(U::CreatedAt, dir.clone()),
        SortKey::UpdatedAt => q.order_by(U::UpdatedAt, dir.clone()),
        // Blank names and countries sort as empty strings, the same on both backends.
        SortKey::Name => q
            .order_by(blank_if_null(U::Firstname), dir.clone())
            .order_by(blank_if_null(U::Lastname), dir.clone()),
        SortKey::Email => q.order_by(U::Email, dir.clone()),
        SortKey::Country => q.order_by(blank_if_null(U::Country), dir.clone()),
        // Never-active customers sort as the oldest, the same on both backends.
        SortKey::LastActive => q
            .order_by(
                Expr::cust("CASE WHEN users.last_login_at IS NULL THEN 0 ELSE 1 END"),
                dir.clone(),
            )
            .order_by(U::LastLoginAt, dir.clone()),
        SortKey::Id => q,
    };
    q.order_by(U::Id, dir)
}

/// One page of customers matching `f` and their total.
pub async fn page<C: ConnectionTrait>(
    conn: &C,
    f: &CustomerFilter,
    sort: (SortKey, bool),
    offset: u64,
    limit: u64,
) -> Result<(Vec<UserRow>, u64)> {
    let q = filtered(f);
    let total = q.clone().count(conn).await.db()?;
    let rows = ordered(q, sort.0, sort.1).offset(offset).limit(limit).all(conn).await.db()?;
    Ok((rows, total))
}

/// How many customers match `f`.
pub async fn count<C: ConnectionTrait>(conn: &C, f: &CustomerFilter) -> Result<u64> {
    filtered(f).count(conn).await.db()
}

/// Public ids of at most `limit` customers matching `f`, by id.
pub async fn uuids<C: ConnectionTrait>(
    conn: &C,
    f: &CustomerFilter,
    limit: u64,
) -> Result<Vec<String>> {
    let rows = filtered(f)
        .select_only()
        .column(U::Uuid)
        .order_by_asc(U::Id)
        .limit(limit)
        .into_tuple::<String>()
        .all(conn)
        .await
        .db()?;
    Ok(rows)
}

/// Customers matching `f` with id above `after`, by id (keyset pages for exports).
pub async fn after<C: ConnectionTrait>(
    conn: &C,
    f: &CustomerFilter,
    after: i64,
    limit: u64,
) -> Result<Vec<UserRow>> {
    filtered(f).filter(U::Id.gt(after)).order_by_asc(U::Id).limit(limit).all(conn).await.db()
}

/// Whether customer `customer_id` is a referral of affiliate `affiliate_id`.
pub async fn is_referral<C: ConnectionTrait>(
    conn: &C,
    affiliate_id: i64,
    customer_id: i64,
) -> Result<bool> {
    let f = CustomerFilter { referred_by: Some(affiliate_id), ..Default::default() };
    Ok(filtered(&f).filter(U::Id.eq(customer_id)).count(conn).await.db()? > 0)
}
