//! Distribution lead rows: insert on intake, lease while routing, final outcome, affiliate reads.

use brokercrm_core::Result;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Set,
};

use crate::db::now;
use crate::entities::leads::{self, Entity as Lead};
use crate::error::DbResultExt;

pub use crate::entities::leads::Model as LeadRow;

pub const ROUTING: &str = "routing";
pub const ACCEPTED: &str = "accepted";
pub const REJECTED: &str = "rejected";
/// The process stopped while an advertiser call was in flight: delivery is unknown.
pub const UNKNOWN: &str = "unknown";

#[derive(Debug, Clone)]
pub struct NewLead {
    pub uuid: String,
    pub affiliate_id: i64,
    pub token_id: Option<i64>,
    pub channel: String,
    pub offer_id: Option<i64>,
    pub ip: String,
    pub country: Option<String>,
    pub language: Option<String>,
    pub is_test: bool,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub profile: String,
    pub lease_until: DateTime<Utc>,
    pub deadline_at: DateTime<Utc>,
}

fn active(l: NewLead, at: DateTime<Utc>) -> leads::ActiveModel {
    leads::ActiveModel {
        uuid: Set(l.uuid),
        affiliate_id: Set(l.affiliate_id),
        token_id: Set(l.token_id),
        channel: Set(l.channel),
        offer_id: Set(l.offer_id),
        advertiser_id: Set(None),
        status: Set(ROUTING.to_owned()),
        error_type: Set(None),
        error_message: Set(None),
        ip: Set(l.ip),
        country: Set(l.country),
        language: Set(l.language),
        is_test: Set(l.is_test),
        email: Set(l.email),
        phone: Set(l.phone),
        first_name: Set(l.first_name),
        last_name: Set(l.last_name),
        profile: Set(l.profile),
        external_id: Set(None),
        auto_login_url: Set(None),
        lease_until: Set(Some(l.lease_until)),
        deadline_at: Set(l.deadline_at),
        created_at: Set(at),
        updated_at: Set(at),
        ..Default::default()
    }
}

pub async fn insert<C: ConnectionTrait>(conn: &C, l: NewLead) -> Result<LeadRow> {
    active(l, now()).insert(conn).await.db()
}

/// Inserts `leads` in one statement; the stored rows come back in the order given.
pub async fn insert_many<C: ConnectionTrait>(
    conn: &C,
    leads: Vec<NewLead>,
) -> Result<Vec<LeadRow>> {
    if leads.is_empty() {
        return Ok(Vec::new());
    }
    let at = now();
    let order: Vec<String> = leads.iter().map(|l| l.uuid.clone()).collect();
    let mut rows: std::collections::HashMap<String, LeadRow> =
        Lead::insert_many(leads.into_iter().map(|l| active(l, at)))
            .exec_with_returning(conn)
            .await
            .db()?
            .into_iter()
            .map(|r| (r.uuid.clone(), r))
            .collect();
    order
        .iter()
        .map(|u| {
            rows.remove(u).ok_or_else(|| brokercrm_core::Error::internal("lead insert lost a row"))
        })
        .collect()
}

pub async fn find_by_uuid<C: ConnectionTrait>(conn: &C, uuid: &str) -> Result<Option<LeadRow>> {
    Lead::find().filter(leads::Column::Uuid.eq(uuid)).one(conn).await.db()
}

pub async fn find_by_id<C: ConnectionTrait>(conn: &C, id: i64) -> Result<Option<LeadRow>> {
    Lead::find_by_id(id).one(conn).await.db()
}

/// The final outcome of a lead; only applies while it is still routing.
#[derive(Debug, Clone)]
pub struct Finish {
    pub status: &'static str,
    pub advertiser_id: Option<i64>,
    pub error_type: Option<String>,
    pub error_message: Option<String>,
    pub external_id: Option<String>,
    pub auto_login_url: Option<String>,
    /// The profile to keep (the password removed once nobody needs it).
    pub profile: Option<String>,
}

/// Writes the outcome; false if the lead was no longer routing (someone else finished it).
pub async fn finish<C: ConnectionTrait>(conn: &C, id: i64, f: Finish) -> Result<bool> {
    let mut q = Lead::update_many()
        .col_expr(leads::Column::Status, Expr::value(f.status))
        .col_expr(leads::Column::AdvertiserId, Expr::value(f.advertiser_id))
        .col_expr(leads::Column::ErrorType, Expr::value(f.error_type))
        .col_expr(leads::Column::ErrorMessage, Expr::value(f.error_message))
        .col_expr(leads::Column::ExternalId, Expr::value(f.external_id))
        .col_expr(leads::Column::AutoLoginUrl, Expr::value(f.auto_login_url))
        .col_expr(leads::Column::LeaseUntil, Expr::value(Option::<DateTime<Utc>>::None))
        .col_expr(leads::Column::UpdatedAt, Expr::value(now()));
    if let Some(p) = f.profile {
        q = q.col_expr(leads::Column::Profile, Expr::value(p));
    }
    let res = q
        .filter(leads::Column::Id.eq(id))
        .filter(leads::Column::Status.eq(ROUTING))
        .exec(conn)
        .await
        .db()?;
    Ok(res.rows_affected == 1)
}

/// Writes the outcomes of several leads in one statement; returns how many were still routing
/// (the others were finished by someone else and are left as they are).
pub async fn finish_many<C: ConnectionTrait>(
    conn: &C,
    outcomes: Vec<(i64, Finish)>,
) -> Result<u64> {
    if outcomes.is_empty() {
        return Ok(0);
    }
    let backend = conn.get_database_backend();
    let mut values: Vec<sea_orm::Value> = Vec::with_capacity(outcomes.len() * 8 + 1);
    let mut param = |v: sea_orm::Value| {
        values.push(v);
        // Numbered, as the statement uses them out of order: `$n` on PostgreSQL, `?n` on SQLite.
        match backend {
            sea_orm::DbBackend::Postgres => format!("${}", values.len()),
            _ => format!("?{}", values.len()),
        }
    };
    let updated_at = param(now().into());
    let routing = param(ROUTING.into());
    let rows: Vec<String> = outcomes
        .into_iter()
        .map(|(id, f)| {
            let cells = [
                param(id.into()),
                param(f.status.into()),
                param(f.advertiser_id.into()),
                param(f.error_type.into()),
                param(f.error_message.into()),
                param(f.external_id.into()),
                param(f.auto_login_url.into()),
                param(f.profile.into()),
            ];
            format!("({})", cells.join(", "))
        })
        .collect();
    // `VALUES` columns are named column1, column2... on both SQLite and PostgreSQL.
    let sql = format!(
        "UPDATE leads SET status = v.column2, advertiser_id = v.column3, error_type = v.column4, \
         error_message = v.column5, external_id = v.column6, auto_login_url = v.column7, \
         profile = COALESCE(v.column8, leads.profile), lease_until = NULL, updated_at = {updated_at} \
         FROM (VALUES {}) AS v WHERE leads.id = v.column1 AND leads.status = {routing}",
        rows.join(", ")
    );
    let res = conn
        .execute_raw(sea_orm::Statement::from_sql_and_values(backend, sql, values))
        .await
        .db()?;
    Ok(res.rows_affected())
}

/// Replaces a lead's profile JSON (e.g. to drop the password after it was hashed).
pub async fn set_profile<C: ConnectionTrait>(conn: &C, id: i64, profile: &str) -> Result<()> {
    Lead::update_many()
        .col_expr(leads::Column::Profile, Expr::value(profile))
        .filter(leads::Column::Id.eq(id))
        .exec(conn)
        .await
        .db()
        .map(|_| ())
}

/// Extends the routing lease; false if the lead is no longer routing.
pub async fn renew_lease<C: ConnectionTrait>(
    conn: &C,
    id: i64,
    until: DateTime<Utc>,
) -> Result<bool> {
    let res = Lead::update_many()
        .col_expr(leads::Column::LeaseUntil, Expr::value(until))
        .filter(leads::Column::Id.eq(id))
        .filter(leads::Column::Status.eq(ROUTING))
        .exec(conn)
        .await
        .db()?;
    Ok(res.rows_affected == 1)
}

/// Routing leads whose lease ran out (their process died), oldest first.
pub async fn stale<C: ConnectionTrait>(
    conn: &C,
    now: DateTime<Utc>,
    limit: u64,
) -> Result<Vec<LeadRow>> {
    Lead::find()
        .filter(leads::Column::Status.eq(ROUTING))
        .filter(leads::Column::LeaseUntil.lt(now))
        .order_by_asc(leads::Column::Id)
        .limit(limit)
        .all(conn)
        .await
        .db()
}

/// Takes over a stale lead: sets a new lease only if the old one is still the expired one.
pub async fn take_over<C: ConnectionTrait>(
    conn: &C,
    lead: &LeadRow,
    until: DateTime<Utc>,
) -> Result<bool> {
    let res = Lead::update_many()
        .col_expr(leads::Column::LeaseUntil, Expr::value(until))
        .filter(leads::Column::Id.eq(lead.id))
        .filter(leads::Column::Status.eq(ROUTING))
        .filter(leads::Column::LeaseUntil.eq(lead.lease_until))
        .exec(conn)
        .await
        .db()?;
    Ok(res.rows_affected == 1)
}

/// True when `affiliate_id` already has a lead with `email` that is not rejected.
pub async fn affiliate_has_email<C: ConnectionTrait>(
    conn: &C,
    affiliate_id: i64,
    email: &str,
) -> Result<bool> {
    let n = Lead::find()
        .select_only()
        .column(leads::Column::Id)
        .filter(leads::Column::AffiliateId.eq(affiliate_id))
        .filter(leads::Column::Email.eq(email))
        .filter(leads::Column::Status.ne(REJECTED))
        .limit(1)
        .into_tuple::<i64>()
        .one(conn)
        .await
        .db()?;
    Ok(n.is_some())
}

/// Filters of an affiliate's own lead list.
#[derive(Debug, Clone, Default)]
pub struct AffiliateLeadFilter {
    pub affiliate_id: i64,
    pub created_from: Option<DateTime<Utc>>,
    pub created_to: Option<DateTime<Utc>>,
    pub is_test: Option<bool>,
    /// Free text over email, names and phone.
    pub query: Option<String>,
}

/// One page of an affiliate's leads, newest first.
pub async fn list_for_affiliate<C: ConnectionTrait>(
    conn: &C,
    f: &AffiliateLeadFilter,
    offset: u64,
    limit: u64,
) -> Result<(Vec<LeadRow>, u64)> {
    let mut cond = Condition::all().add(leads::Column::AffiliateId.eq(f.affiliate_id));
    if let Some(t) = f.created_from {
        cond = cond.add(leads::Column::CreatedAt.gte(t));
    }
    if let Some(t) = f.created_to {
        cond = cond.add(leads::Column::CreatedAt.lte(t));
    }
    if let Some(t) = f.is_test {
        cond = cond.add(leads::Column::IsTest.eq(t));
    }
    if let Some(q) = f.query.as_deref().filter(|q| !q.is_empty()) {
        let like = format!("%{}%", q.replace(['%', '_'], ""));
        cond = cond.add(
            Condition::any()
                .add(Expr::col(leads::Column::Email).like(like.clone()))
                .add(Expr::col(leads::Column::FirstName).like(like.clone()))
                .add(Expr::col(leads::Column::LastName).like(like.clone()))
                .add(Expr::col(leads::Column::Phone).like(like)),
        );
    }
    let total = Lead::find().filter(cond.clone()).count(conn).await.db()?;
    let rows = Lead::find()
        .filter(cond)
        .order_by_desc(leads::Column::CreatedAt)
        .order_by_desc(leads::Column::Id)
        .offset(offset)
        .limit(limit)
        .all(conn)
        .await
        .db()?;
    Ok((rows, total))
}

/// The newest lead `advertiser_id` knows as `external_id` (advertiser postbacks).
pub async fn find_by_external_id<C: ConnectionTrait>(
    conn: &C,
    advertiser_id: i64,
    external_id: &str,
) -> Result<Option<LeadRow>> {
    Lead::find()
        .filter(leads::Column::AdvertiserId.eq(advertiser_id))
        .filter(leads::Column::ExternalId.eq(external_id))
        .order_by_desc(leads::Column::Id)
        .one(conn)
        .await
        .db()
}
