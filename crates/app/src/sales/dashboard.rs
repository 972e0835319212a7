//! Dashboard (seed tag Dashboard). Staff: customers' registrations, deposits and logins per
//! UTC day of a period, limited to the caller's customer scope (admins/risk/support all,
//! managers their desk, agents their desk and assigned customers). Affiliates: their own
//! referrals this and last calendar month (UTC) — leads, registrations, FTDs, conversions,
//! logins. Figures without a source yet (coins, messages, downloads, payouts, earnings,
//! volumes, trades) are zero; see docs/calls.md#dashboard.

use std::collections::BTreeMap;

use brokercrm_core::error::Violations;
use brokercrm_core::identity::auth::Role;
use brokercrm_core::{Error, Money, Result};
use brokercrm_store::repo::sales::dashboard as repo;
use brokercrm_store::repo::sales::scope_condition;
use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc};

use crate::sales::scope_of;
use crate::{App, Principal};

/// The longest period a dashboard covers (one point per day).
pub const MAX_DAYS: i64 = 366;

/// One day of a chart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Point {
    pub date: NaiveDate,
    pub value: i64,
}

/// Deposits of one currency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CurrencyTotal {
    pub currency: String,
    pub count: i64,
    pub amount: Money,
}

/// "Get dashboard data".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dashboard {
    pub total_registrations: i64,
    /// Number of deposits.
    pub total_deposits: i64,
    pub deposits_by_currency: Vec<CurrencyTotal>,
    pub total_logins: i64,
    pub registrations: Vec<Point>,
    /// Number of deposits per day.
    pub deposits: Vec<Point>,
    pub logins: Vec<Point>,
    /// Zero every day: no trading tables yet.
    pub trades: Vec<Point>,
}

fn parse_time(field: &str, raw: Option<&str>) -> Result<DateTime<Utc>> {
    let s = raw.map(str::trim).filter(|s| !s.is_empty());
    let s = s.ok_or_else(|| Error::field(field, "is required"))?;
    DateTime::parse_from_rfc3339(s).map(|d| d.with_timezone(&Utc)).map_err(|_| {
        Error::field(field, "must be an RFC 3339 date-time, e.g. 2026-01-31T00:00:00Z")
    })
}

/// Checks `periodStart`/`periodEnd`: both RFC 3339, end not before start, at most
/// [`MAX_DAYS`] apart.
pub fn period(start: Option<&str>, end: Option<&str>) -> Result<(DateTime<Utc>, DateTime<Utc>)> {
    let mut v = Violations::new();
    let s = v.check(parse_time("periodStart", start));
    let e = v.check(parse_time("periodEnd", end));
    v.finish()?;
    let (Some(s), Some(e)) = (s, e) else { return Err(Error::internal("unreachable")) };
    if e < s {
        return Err(Error::field("periodEnd", "must not be before periodStart"));
    }
    if e - s > Duration::days(MAX_DAYS) {
        return Err(Error::field(
            "periodEnd",
            format!("must be at most {MAX_DAYS} days after periodStart"),
        ));
    }
    Ok((s, e))
}

/// Every day of `[from, to]` with the counted value or zero.
fn series(from: DateTime<Utc>, to: DateTime<Utc>, counts: &BTreeMap<String, i64>) -> Vec<Point> {
    let mut out = Vec::new();
    let mut d = from.date_naive();
    while d <= to.date_naive() {
        let value = counts.get(&d.format("%Y-%m-%d").to_string()).copied().unwrap_or(0);
        out.push(Point { date: d, value });
        let Some(next) = d.succ_opt() else { break };
        d = next;
    }
    out
}

/// "Get dashboard data" for `[start, end]` (raw query values, validated here).
pub async fn staff(
    app: &App,
    actor: &Principal,
    start: Option<&str>,
    end: Option<&str>,
) -> Result<Dashboard> {
    let conn = app.db().conn();
    let scope = scope_of(conn, actor).await?;
    let (from, to) = period(start, end)?;
    let who = scope_condition(&scope);
    let regs: BTreeMap<_, _> =
        repo::registrations(conn, who.as_ref(), from, to).await?.into_iter().collect();
    let logins: BTreeMap<_, _> =
        repo::logins(conn, who.as_ref(), from, to).await?.into_iter().collect();
    let mut dep_days: BTreeMap<String, i64> = BTreeMap::new();
    let mut by_currency: BTreeMap<String, (i64, i64)> = BTreeMap::new();
    for (day, currency, n, amount) in repo::deposits(conn, who.as_ref(), from, to).await? {
        *dep_days.entry(day).or_default() += n;
        let e = by_currency.entry(currency).or_default();
        e.0 += n;
        e.1 = e.1.checked_add(amount).ok_or_else(|| Error::internal("deposit total overflow"))?;
    }
    Ok(Dashboard {
        total_registrations: regs.values().sum(),
        total_deposits: dep_days.values().sum(),
        deposits_by_currency: by_currency
            .into_iter()
            .map(|(currency, (count, amount))| CurrencyTotal {
                currency,
                count,
                amount: Money::from_minor(amount),
            })
            .collect(),
        total_logins: logins.values().sum(),
        registrations: series(from, to, &regs),
        deposits: series(from, to, &dep_days),
        logins: series(from, to, &logins),
        trades: series(from, to, &BTreeMap::new()),
    })
}

/// One month's referral figures of an affiliate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Month {
    pub leads: i64,
    /// Referred customers who registered.
    pub signups: i64,
    /// FTD conversions (the CPA event).
    pub ftds: i64,
    /// Conversions of every goal.
    pub conversions: i64,
    pub logins: i64,
}

/// A referred customer's login.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignIn {
    pub customer_id: String,
    pub country: Option<String>,
    pub at: DateTime<Utc>,
}

/// "Get affiliate dashboard data".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AffiliateDashboard {
    pub last_month: Month,
    pub this_month: Month,
    pub last_sign_ins: Vec<SignIn>,
}

fn month_start(y: i32, m: u32) -> Result<DateTime<Utc>> {
    Utc.with_ymd_and_hms(y, m, 1, 0, 0, 0).single().ok_or_else(|| Error::internal("bad month"))
}

async fn month(
    app: &App,
    affiliate_id: i64,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Month> {
    let conn = app.db().conn();
    let who = repo::referred_by(affiliate_id);
    // The repository's day counts are inclusive; a month ends just before the next starts.
    let last = to - Duration::microseconds(1);
    let sum = |v: Vec<(String, i64)>| v.into_iter().map(|(_, n)| n).sum::<i64>();
    Ok(Month {
        leads: repo::affiliate_leads(conn, affiliate_id, from, to).await?,
        signups: sum(repo::registrations(conn, Some(&who), from, last).await?),
        ftds: repo::affiliate_goal_count(conn, affiliate_id, Some("FTD"), from, to).await?,
        conversions: repo::affiliate_goal_count(conn, affiliate_id, None, from, to).await?,
        logins: sum(repo::logins(conn, Some(&who), from, last).await?),
    })
}

/// "Get affiliate dashboard data": the calling affiliate's referrals only.
pub async fn affiliate(app: &App, actor: &Principal) -> Result<AffiliateDashboard> {
    if actor.role != Role::Affiliate {
        return Err(Error::Forbidden);
    }
    let now = app.clock().now();
    let this = month_start(now.year(), now.month())?;
    let (ly, lm) =
        if now.month() == 1 { (now.year() - 1, 12) } else { (now.year(), now.month() - 1) };
    let last = month_start(ly, lm)?;
    let (ny, nm) =
        if now.month() == 12 { (now.year() + 1, 1) } else { (now.year(), now.month() + 1) };
    let next = month_start(ny, nm)?;
    let who = repo::referred_by(actor.user_id);
    let last_sign_ins = repo::last_logins(app.db().conn(), Some(&who), 5)
        .await?
        .into_iter()
        .map(|(customer_id, country, at)| SignIn { customer_id, country, at })
        .collect();
    Ok(AffiliateDashboard {
        last_month: month(app, actor.user_id, last, this).await?,
        this_month: month(app, actor.user_id, this, next).await?,
        last_sign_ins,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_are_checked_and_series_cover_every_day() {
        assert!(period(Some("2026-01-01T00:00:00Z"), Some("2026-01-31T23:59:59Z")).is_ok());
        assert!(period(None, Some("2026-01-31T00:00:00Z")).is_err());
        assert!(period(Some("2026-02-01T00:00:00Z"), Some("2026-01-01T00:00:00Z")).is_err());
        assert!(period(Some("2024-01-01T00:00:00Z"), Some("2026-01-01T00:00:00Z")).is_err());
        assert!(period(Some("yesterday"), Some("2026-01-01T00:00:00Z")).is_err());
        let (f, t) =
            period(Some("2026-01-30T10:00:00Z"), Some("2026-02-02T01:00:00Z")).unwrap_or_default();
        let mut c = BTreeMap::new();
        c.insert("2026-02-01".to_owned(), 3);
        let s = series(f, t, &c);
        assert_eq!(s.len(), 4);
        assert_eq!(s.iter().map(|p| p.value).collect::<Vec<_>>(), vec![0, 0, 3, 0]);
    }
}
