//! CRM leads as the sales CRM works them: lookups by public id, the claim (one conditional
//! UPDATE), assignment, status, the distinct sources, the last-contact time kept with each
//! contact, the CSV upsert (the filtered list and bulk edit are in `filter`).

use brokercrm_core::Result;
use brokercrm_core::distribution::crm_leads::LeadScope;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};

use super::delivery::{CrmLeadRow, name_keys, set_column};
use super::filter::scope_condition;
use crate::db::now;
use crate::entities::crm_leads::{Column as L, Entity as CrmLead};
use crate::error::DbResultExt;

/// Most distinct sources "Get lead sources" returns.
pub const MAX_SOURCES: u64 = 1000;

pub async fn find_by_uuid<C: ConnectionTrait>(conn: &C, uuid: &str) -> Result<Option<CrmLeadRow>> {
    CrmLead::find().filter(L::Uuid.eq(uuid)).one(conn).await.db()
}

/// Makes `user_id` (on `desk_id`) the sales person of lead `id` if it has none and is in
/// `scope`, in one conditional UPDATE: of two claimers exactly one wins. True if it did.
pub async fn claim<C: ConnectionTrait>(
    conn: &C,
    id: i64,
    user_id: i64,
    desk_id: Option<i64>,
    scope: &LeadScope,
) -> Result<bool> {
    let mut cond = Condition::all().add(L::Id.eq(id)).add(L::SalesPersonId.is_null());
    if let Some(s) = scope_condition(scope) {
        cond = cond.add(s);
    }
    let mut up = CrmLead::update_many()
        .col_expr(L::SalesPersonId, Expr::value(user_id))
        .col_expr(L::UpdatedAt, Expr::value(now()));
    if let Some(d) = desk_id {
        up = up.col_expr(L::SalesDeskId, Expr::value(d));
    }
    let r = up.filter(cond).exec(conn).await.db()?;
    Ok(r.rows_affected == 1)
}

/// Sets (or clears) the sales person of lead `id`; the lead moves to the person's desk
/// (`desk_id`) when they have one.
pub async fn assign<C: ConnectionTrait>(
    conn: &C,
    id: i64,
    person: Option<i64>,
    desk_id: Option<i64>,
) -> Result<()> {
    let mut up = CrmLead::update_many()
        .col_expr(L::SalesPersonId, Expr::value(person))
        .col_expr(L::UpdatedAt, Expr::value(now()));
    if let Some(d) = desk_id {
        up = up.col_expr(L::SalesDeskId, Expr::value(d));
    }
    up.filter(L::Id.eq(id)).exec(conn).await.db().map(|_| ())
}

/// Sets the sales status of lead `id`.
pub async fn set_status<C: ConnectionTrait>(conn: &C, id: i64, status: Option<i64>) -> Result<()> {
    set_column(conn, id, L::SalesStatusId, status).await
}

/// The distinct non-empty sources of the leads in `scope`, sorted, at most [`MAX_SOURCES`].
pub async fn sources<C: ConnectionTrait>(conn: &C, scope: &LeadScope) -> Result<Vec<String>> {
    let mut cond = Condition::all().add(L::Source.is_not_null()).add(L::Source.ne(""));
    if let Some(s) = scope_condition(scope) {
        cond = cond.add(s);
    }
    let rows: Vec<Option<String>> = CrmLead::find()
        .select_only()
        .column(L::Source)
        .distinct()
        .filter(cond)
        .order_by_asc(L::Source)
        .limit(MAX_SOURCES)
        .into_tuple()
        .all(conn)
        .await
        .db()?;
    Ok(rows.into_iter().flatten().collect())
}

/// Moves `last_contact_at` of lead `id` forward to `at` (never back), with the contact's
/// own write.
pub async fn touch_contact<C: ConnectionTrait>(conn: &C, id: i64, at: DateTime<Utc>) -> Result<()> {
    let cond = Condition::all()
        .add(L::Id.eq(id))
        .add(Condition::any().add(L::LastContactAt.is_null()).add(L::LastContactAt.lt(at)));
    CrmLead::update_many()
        .col_expr(L::LastContactAt, Expr::value(at))
        .filter(cond)
        .exec(conn)
        .await
        .db()
        .map(|_| ())
}

/// Leads whose e-mail or phone is among those given (CSV dedup).
pub async fn matching<C: ConnectionTrait>(
    conn: &C,
    emails: &[String],
    phones: &[String],
) -> Result<Vec<CrmLeadRow>> {
    if emails.is_empty() && phones.is_empty() {
        return Ok(Vec::new());
    }
    let mut any = Condition::any();
    if !emails.is_empty() {
        any = any.add(L::Email.is_in(emails.to_vec()));
    }
    if !phones.is_empty() {
        any = any.add(L::Phone.is_in(phones.to_vec()));
    }
    CrmLead::find().filter(any).order_by_asc(L::Id).all(conn).await.db()
}

/// Fields a CSV row brings to an existing lead: each given value replaces the stored one.
#[derive(Debug, Clone, Default)]
pub struct LeadPatch {
    pub email: Option<String>,
    pub phone: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub country: Option<String>,
    pub language: Option<String>,
    pub source: Option<String>,
}

/// Applies `p` to lead `row` (the CSV upsert).
pub async fn patch<C: ConnectionTrait>(conn: &C, row: &CrmLeadRow, p: LeadPatch) -> Result<()> {
    let first = p.first_name.clone().or_else(|| row.first_name.clone());
    let last = p.last_name.clone().or_else(|| row.last_name.clone());
    let (name_key, last_name_key) = name_keys(first.as_deref(), last.as_deref());
    let mut up = CrmLead::update_many()
        .col_expr(L::UpdatedAt, Expr::value(now()))
        .col_expr(L::NameKey, Expr::value(name_key))
        .col_expr(L::LastNameKey, Expr::value(last_name_key));
    let set = |up: sea_orm::UpdateMany<CrmLead>, col: L, v: Option<String>| match v {
        Some(v) => up.col_expr(col, Expr::value(v)),
        None => up,
    };
    up = set(up, L::Email, p.email);
    up = set(up, L::Phone, p.phone);
    up = set(up, L::FirstName, p.first_name);
    up = set(up, L::LastName, p.last_name);
    up = set(up, L::Country, p.country);
    up = set(up, L::Language, p.language);
    up = set(up, L::Source, p.source);
    up.filter(L::Id.eq(row.id)).exec(conn).await.db().map(|_| ())
}
