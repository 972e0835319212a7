//! A lead while it routes: the lease its process holds (renewed, taken over when stale) and
//! the final outcome, written only while the lead is still routing.

use brokercrm_core::Result;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::db::now;
use crate::entities::leads::{self, Entity as Lead, Model as LeadRow};
use crate::error::DbResultExt;

/// Lead statuses.
pub const ROUTING: &str = "routing";
pub const ACCEPTED: &str = "accepted";
pub const REJECTED: &str = "rejected";
/// The process stopped while an advertiser call was in flight: delivery is unknown.
pub const UNKNOWN: &str = "unknown";

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
    while_routing(conn, id, q).await
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
    let q = Lead::update_many().col_expr(leads::Column::LeaseUntil, Expr::value(until));
    while_routing(conn, id, q).await
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
    let q = Lead::update_many()
        .col_expr(leads::Column::LeaseUntil, Expr::value(until))
        .filter(leads::Column::LeaseUntil.eq(lead.lease_until));
    while_routing(conn, lead.id, q).await
}

/// Runs `q` on lead `id` if it is still routing; true if it did.
async fn while_routing<C: ConnectionTrait>(
    conn: &C,
    id: i64,
    q: sea_orm::UpdateMany<Lead>,
) -> Result<bool> {
    let res = q
        .filter(leads::Column::Id.eq(id))
        .filter(leads::Column::Status.eq(ROUTING))
        .exec(conn)
        .await
        .db()?;
    Ok(res.rows_affected == 1)
}
