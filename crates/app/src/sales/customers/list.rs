//! "Get all customers" and "Get customer IDs": every filter of the seed, validated (a bad
//! value is a 422 naming its parameter), turned into a store filter within the caller's
//! scope. References that match nothing (an unknown group, agent or introducer) give an
//! empty result rather than an error, as a search would.

use brokercrm_core::error::Violations;
use brokercrm_core::sales::customers::{KycStatus, deposit_count, risk_status, sort_spec};
use brokercrm_core::validate::CountryCode;
use brokercrm_core::{Error, Result};
use brokercrm_store::ConnectionTrait;
use brokercrm_store::repo::identity::users;
use brokercrm_store::repo::money::groups as trading_groups;
use brokercrm_store::repo::sales::customers::list::{
    self as repo, CountRange, CustomerFilter, SortKey,
};
use brokercrm_store::repo::sales::sales_statuses;
use chrono::{DateTime, Utc};

use super::views::{self, CustomerView};
use crate::sales::{Page, scope_of};
use crate::{App, Principal};

/// A customer counts as active when seen within this many days (`activity` filter).
pub const ACTIVITY_WINDOW_DAYS: i64 = 30;
/// Most ids "Get customer IDs" answers.
pub const MAX_IDS: u64 = 10_000;

/// The list query as received (strings; arrays already split).
#[derive(Debug, Clone, Default)]
pub struct ListParams {
    pub offset: Option<i64>,
    pub limit: Option<i64>,
    pub search: Option<String>,
    pub sort_by: Option<String>,
    pub country: Option<String>,
    pub group: Option<String>,
    pub last_activity_start: Option<String>,
    pub last_activity_end: Option<String>,
    pub registration_start: Option<String>,
    pub registration_end: Option<String>,
    pub selected_statuses: Vec<String>,
    pub selected_kyc_statuses: Vec<String>,
    pub roles: Vec<String>,
    pub sources: Vec<String>,
    pub deposit_count: Option<String>,
    pub sales_status: Option<String>,
    pub activity: Option<String>,
    pub positions: Option<String>,
    pub introducer_id: Option<String>,
    pub updated_since: Option<String>,
    pub risk_status: Option<String>,
    pub retention_agents: Vec<String>,
    pub conversion_agents: Vec<String>,
}

/// An RFC 3339 instant or a `YYYY-MM-DD` date (midnight UTC; `end_of_day` for the last
/// instant of that day).
pub fn instant(field: &str, raw: &str, end_of_day: bool) -> Result<DateTime<Utc>> {
    let s = raw.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Ok(t.with_timezone(&Utc));
    }
    let d = chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|_| Error::field(field, "must be an RFC 3339 date-time or YYYY-MM-DD"))?;
    let t =
        if end_of_day { d.and_hms_micro_opt(23, 59, 59, 999_999) } else { d.and_hms_opt(0, 0, 0) };
    t.map(|t| t.and_utc()).ok_or_else(|| Error::field(field, "is not a valid date"))
}

fn opt(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// Parses a list sort (`createdAt` by default, newest first).
pub fn sort(raw: Option<&str>) -> Result<(SortKey, bool)> {
    let Some(raw) = raw.map(str::trim).filter(|s| !s.is_empty()) else {
        return Ok((SortKey::CreatedAt, true));
    };
    let (key, desc) = sort_spec("sortBy", raw, true)?;
    let key = match key {
        "createdAt" | "registration" => SortKey::CreatedAt,
        "updatedAt" => SortKey::UpdatedAt,
        "name" => SortKey::Name,
        "email" => SortKey::Email,
        "country" => SortKey::Country,
        "lastActive" | "lastActivity" => SortKey::LastActive,
        "id" | "accountId" => SortKey::Id,
        _ => {
            return Err(Error::field(
                "sortBy",
                "must be createdAt, updatedAt, name, email, country, lastActive or accountId",
            ));
        }
    };
    Ok((key, desc))
}

/// Internal ids of users with these public ids (unknown ones are left out).
async fn user_ids<C: ConnectionTrait>(conn: &C, uuids: &[String]) -> Result<Vec<i64>> {
    let mut out = Vec::new();
    for u in uuids {
        if let Some(row) = users::find_by_uuid(conn, u.trim()).await? {
            out.push(row.id);
        }
    }
    Ok(out)
}

/// The store filter for `p` (scope not set).
pub async fn filter<C: ConnectionTrait>(
    conn: &C,
    p: &ListParams,
    now: DateTime<Utc>,
) -> Result<CustomerFilter> {
    let mut v = Violations::new();
    let mut f = CustomerFilter { search: opt(&p.search).map(str::to_owned), ..Default::default() };
    if let Some(c) = opt(&p.country) {
        f.country = v.check(CountryCode::parse("country", c)).map(|c| c.as_str().to_owned());
    }
    let mut ts = |field: &str, raw: &Option<String>, end: bool| {
        opt(raw).and_then(|s| v.check(instant(field, s, end)))
    };
    f.last_active_from = ts("lastActivityStart", &p.last_activity_start, false);
    f.last_active_to = ts("lastActivityEnd", &p.last_activity_end, true);
    f.created_from = ts("registrationStart", &p.registration_start, false);
    f.created_to = ts("registrationEnd", &p.registration_end, true);
    f.updated_from = ts("updatedSince", &p.updated_since, false);
    for (i, s) in p.selected_statuses.iter().enumerate() {
        match s.trim().to_ascii_lowercase().as_str() {
            st @ ("active" | "disabled") => f.statuses.push(st.to_owned()),
            _ => v.push(format!("selectedStatuses[{i}]"), "must be ACTIVE or DISABLED"),
        }
    }
    for (i, s) in p.selected_kyc_statuses.iter().enumerate() {
        if let Some(k) = v.check(KycStatus::parse(&format!("selectedKycStatuses[{i}]"), s)) {
            f.kyc_statuses.push(k.as_str().to_owned());
        }
    }
    let roles: Vec<String> = p.roles.iter().map(|r| r.trim().to_ascii_lowercase()).collect();
    if !roles.is_empty() && !roles.iter().any(|r| r == "customer") {
        if roles.iter().any(|r| r == "leader") {
            f.leaders_only = true;
        } else {
            f.none = true;
        }
    }
    f.sources = p.sources.iter().map(|s| s.trim().to_owned()).filter(|s| !s.is_empty()).collect();
    if let Some(d) = opt(&p.deposit_count) {
        f.deposit_count =
            v.check(deposit_count("depositCount", d)).map(|(lo, hi)| CountRange { lo, hi });
    }
    if let Some(a) = opt(&p.activity) {
        let since = now - chrono::Duration::days(ACTIVITY_WINDOW_DAYS);
        match a.to_ascii_lowercase().as_str() {
            "active" => f.active_since = Some((since, true)),
            "inactive" => f.active_since = Some((since, false)),
            _ => v.push("activity", "must be active or inactive"),
        }
    }
    if let Some(pos) = opt(&p.positions) {
        match pos.to_ascii_lowercase().as_str() {
            // Positions arrive with the trading issue: nobody has an open one yet.
            "open" | "with" => f.none = true,
            "none" | "without" | "any" => {}
            _ => v.push("positions", "must be open, none or any"),
        }
    }
    if let Some(r) = opt(&p.risk_status) {
        f.risk_status = v.check(risk_status("riskStatus", r));
    }
    v.finish()?;
    if let Some(g) = opt(&p.group) {
        let found = match g.parse::<i64>() {
            Ok(id) => trading_groups::find(conn, id).await?,
            Err(_) => trading_groups::find_by_name(conn, g).await?,
        };
        f.group_id = Some(found.map(|g| g.id).unwrap_or(-1));
    }
    if let Some(s) = opt(&p.sales_status) {
        let found = match s.parse::<i64>() {
            Ok(id) => sales_statuses::find_by_id(conn, id).await?,
            Err(_) => sales_statuses::find_by_name(conn, s).await?,
        };
        f.sales_status_id = Some(found.map(|s| s.id).unwrap_or(-1));
    }
    if let Some(i) = opt(&p.introducer_id) {
        f.referred_by = Some(user_ids(conn, &[i.to_owned()]).await?.first().copied().unwrap_or(-1));
    }
    for (given, out) in [
        (&p.retention_agents, &mut f.retention_agents),
        (&p.conversion_agents, &mut f.conversion_agents),
    ] {
        if !given.is_empty() {
            *out = user_ids(conn, given).await?;
            if out.is_empty() {
                out.push(-1);
            }
        }
    }
    Ok(f)
}

/// "Get all customers": a page of the caller's customers matching `p`, and their count.
pub async fn list(app: &App, who: &Principal, p: &ListParams) -> Result<(Vec<CustomerView>, u64)> {
    let conn = app.db().conn();
    let scope = scope_of(conn, who).await?;
    let page = Page::new(p.limit, p.offset)?;
    let order = sort(p.sort_by.as_deref())?;
    let mut f = filter(conn, p, app.clock().now()).await?;
    f.scope = Some(scope);
    let (rows, total) = repo::page(conn, &f, order, page.offset, page.limit).await?;
    Ok((views::build(conn, who.user_id, rows).await?, total))
}

/// "Get customer IDs": public ids of the caller's customers matching `p` (at most
/// [`MAX_IDS`], by account id).
pub async fn ids(app: &App, who: &Principal, p: &ListParams) -> Result<Vec<String>> {
    let conn = app.db().conn();
    let scope = scope_of(conn, who).await?;
    let mut f = filter(conn, p, app.clock().now()).await?;
    f.scope = Some(scope);
    repo::uuids(conn, &f, MAX_IDS).await
}
