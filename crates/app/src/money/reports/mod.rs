//! Statements (a customer's own ledger movements with running balances) and the staff
//! financial reports (profit/loss, balance, coins), all computed from the ledger; exports go
//! through the shared XLSX writer in keyset-paged chunks. Choices: `docs/reports.md`.

pub mod export;
pub mod figures;
pub mod statements;

use brokercrm_core::{Error, Result};
use brokercrm_store::repo::money::ledger::reports::Window;
use chrono::{DateTime, Duration, Utc};

/// Longest statement or report range, in days.
pub const MAX_RANGE_DAYS: i64 = 366;
/// Default and largest page of a report.
pub const DEFAULT_LIMIT: u64 = 50;
pub const MAX_LIMIT: u64 = 500;
/// Largest `offset` (far beyond any report; keeps the SQL `OFFSET` in range).
pub const MAX_OFFSET: u64 = 1_000_000_000;

/// A `[start, end)` range of instants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Range {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

fn instant(name: &str, raw: Option<&str>) -> Result<DateTime<Utc>> {
    let raw = raw.map(str::trim).filter(|s| !s.is_empty());
    let raw = raw.ok_or_else(|| Error::field(name, "is required"))?;
    DateTime::parse_from_rfc3339(raw)
        .map(|d| d.with_timezone(&Utc))
        .map_err(|_| Error::field(name, "must be an RFC 3339 date-time"))
}

impl Range {
    /// Both required, RFC 3339; `end` after `start`, at most [`MAX_RANGE_DAYS`] apart.
    pub fn parse(start: Option<&str>, end: Option<&str>) -> Result<Self> {
        let start = instant("start", start)?;
        let end = instant("end", end)?;
        if end <= start {
            return Err(Error::field("end", "must be after start"));
        }
        if end - start > Duration::days(MAX_RANGE_DAYS) {
            return Err(Error::field("end", format!("at most {MAX_RANGE_DAYS} days after start")));
        }
        Ok(Self { start, end })
    }
}

/// `limit`, `offset` and `sortBy` (`column`, `column:asc` or `column:desc`) of a report,
/// the column checked against the report's allow-list.
#[derive(Debug, Clone, Default)]
pub struct ListInput {
    pub limit: Option<String>,
    pub offset: Option<String>,
    pub sort_by: Option<String>,
}

fn number(name: &str, raw: Option<&str>) -> Result<Option<u64>> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => s
            .parse::<u64>()
            .map(Some)
            .map_err(|_| Error::field(name, "must be a non-negative integer")),
    }
}

impl ListInput {
    /// The window, sorting by `default` when no `sortBy` is given.
    pub fn window(&self, allowed: &[&str], default: &str) -> Result<Window> {
        let limit = number("limit", self.limit.as_deref())?.unwrap_or(DEFAULT_LIMIT);
        if limit == 0 || limit > MAX_LIMIT {
            return Err(Error::field("limit", format!("must be 1 to {MAX_LIMIT}")));
        }
        let offset = number("offset", self.offset.as_deref())?.unwrap_or(0);
        if offset > MAX_OFFSET {
            return Err(Error::field("offset", format!("must be at most {MAX_OFFSET}")));
        }
        let raw = self.sort_by.as_deref().map(str::trim).filter(|s| !s.is_empty());
        let raw = raw.unwrap_or(default);
        let (column, dir) = raw.split_once(':').unwrap_or((raw, "asc"));
        let descending = match dir.to_ascii_lowercase().as_str() {
            "asc" => false,
            "desc" => true,
            _ => return Err(Error::field("sortBy", "direction must be asc or desc")),
        };
        if !allowed.contains(&column) {
            return Err(Error::field("sortBy", format!("must be one of {}", allowed.join(", "))));
        }
        Ok(Window {
            column: column.to_owned(),
            descending,
            limit,
            offset,
            after: None,
            owners: None,
        })
    }
}
