//! CRM leads (seed 002 tag Leads): who sees which lead, the list filters (FetchLeadFilters),
//! the list order and the search term.
//!
//! Admins, risk and support see every lead. A manager sees the leads of their sales desk. A
//! conversion or retention agent sees the leads of their desk and the leads whose sales
//! person they are. A lead outside the scope is reported as not found.

use chrono::{DateTime, Utc};

use crate::identity::auth::Role;
use crate::{Error, Result};

/// The leads a staff member may see and work.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LeadScope {
    /// Every lead.
    All,
    /// Leads of `desk_id` (if any), plus (when `assigned`) those whose sales person is
    /// `user_id`.
    Limited { desk_id: Option<i64>, user_id: i64, assigned: bool },
}

impl LeadScope {
    /// The scope of a staff member; `None` for roles that do not work leads.
    pub fn of(role: Role, user_id: i64, desk_id: Option<i64>) -> Option<Self> {
        match role {
            Role::Admin | Role::Risk | Role::Support => Some(Self::All),
            Role::Manager => Some(Self::Limited { desk_id, user_id, assigned: false }),
            Role::ConversionAgent | Role::RetentionAgent => {
                Some(Self::Limited { desk_id, user_id, assigned: true })
            }
            Role::Affiliate | Role::Customer => None,
        }
    }

    /// Whether a lead on desk `desk` with sales person `person` is in this scope.
    pub fn allows(&self, desk: Option<i64>, person: Option<i64>) -> bool {
        match *self {
            Self::All => true,
            Self::Limited { desk_id, user_id, assigned } => {
                (desk_id.is_some() && desk == desk_id) || (assigned && person == Some(user_id))
            }
        }
    }
}

/// A prefix search, classified by what the term looks like.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Search {
    /// The term has an `@`: a prefix of the (lower-case) e-mail.
    Email(String),
    /// Digits (with `+`, spaces, dashes, brackets): a prefix of the phone (`+` and digits).
    Phone(String),
    /// Anything else: a prefix of the e-mail, of "first last" or of the last name.
    Text(String),
}

impl Search {
    pub const MAX_LEN: usize = 100;

    /// `None` for a blank term.
    pub fn parse(raw: Option<&str>) -> Result<Option<Self>> {
        let s = raw.unwrap_or("").trim().to_lowercase();
        if s.is_empty() {
            return Ok(None);
        }
        if s.chars().count() > Self::MAX_LEN {
            return Err(Error::field(
                "search",
                format!("must be at most {} characters", Self::MAX_LEN),
            ));
        }
        if s.contains('@') {
            return Ok(Some(Self::Email(s)));
        }
        let phoneish = s.chars().all(|c| c.is_ascii_digit() || " +-()".contains(c));
        let digits: String = s.chars().filter(char::is_ascii_digit).collect();
        if phoneish && digits.len() >= 3 {
            return Ok(Some(Self::Phone(format!("+{digits}"))));
        }
        Ok(Some(Self::Text(s)))
    }

    /// The exclusive upper bound of the prefix range `[p, upper(p))` in byte order.
    pub fn upper(prefix: &str) -> String {
        format!("{prefix}\u{10FFFF}")
    }
}

/// A validated FetchLeadFilters, with names resolved to internal ids by the caller.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LeadFilter {
    /// Sales status ids; `status_none` adds "no status".
    pub status_ids: Vec<i64>,
    pub status_none: bool,
    /// Sales person ids; `person_none` adds "unassigned".
    pub person_ids: Vec<i64>,
    pub person_none: bool,
    pub sources: Vec<String>,
    /// `onlyAssignedToMe`: the caller's id.
    pub assigned_to: Option<i64>,
    pub country: Option<String>,
    /// `updated_at < modified_before`.
    pub modified_before: Option<DateTime<Utc>>,
    /// `updated_at >= modified_after`.
    pub modified_after: Option<DateTime<Utc>>,
    pub search: Option<Search>,
}

/// What a lead list can be ordered by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LeadOrderBy {
    CreatedAt,
    UpdatedAt,
    LastContactAt,
    Name,
    Email,
}

/// `orderBy`: a field, optionally `|ASC` or `|DESC` (default `createdAt|DESC`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LeadOrder {
    pub by: LeadOrderBy,
    pub desc: bool,
}

impl Default for LeadOrder {
    fn default() -> Self {
        Self { by: LeadOrderBy::CreatedAt, desc: true }
    }
}

impl LeadOrder {
    pub fn parse(raw: Option<&str>) -> Result<Self> {
        let raw = raw.unwrap_or("").trim();
        if raw.is_empty() {
            return Ok(Self::default());
        }
        let (field, dir) = raw.split_once('|').unwrap_or((raw, ""));
        let bad = || {
            Error::field(
                "orderBy",
                "must be createdAt, updatedAt, lastContactAt, name or email, optionally \
                 followed by |ASC or |DESC",
            )
        };
        let by = match field.trim() {
            "createdAt" => LeadOrderBy::CreatedAt,
            "updatedAt" => LeadOrderBy::UpdatedAt,
            "lastContactAt" => LeadOrderBy::LastContactAt,
            "name" => LeadOrderBy::Name,
            "email" => LeadOrderBy::Email,
            _ => return Err(bad()),
        };
        let desc = match dir.trim().to_ascii_uppercase().as_str() {
            "" => matches!(
                by,
                LeadOrderBy::CreatedAt | LeadOrderBy::UpdatedAt | LeadOrderBy::LastContactAt
            ),
            "DESC" => true,
            "ASC" => false,
            _ => return Err(bad()),
        };
        Ok(Self { by, desc })
    }
}

/// A date filter: RFC 3339, or a date `YYYY-MM-DD` (midnight UTC).
pub fn parse_time(field: &str, raw: Option<&str>) -> Result<Option<DateTime<Utc>>> {
    let Some(s) = raw.map(str::trim).filter(|s| !s.is_empty()) else { return Ok(None) };
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Ok(Some(t.with_timezone(&Utc)));
    }
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|t| Some(t.and_utc()))
        .ok_or_else(|| Error::field(field, "must be an RFC 3339 time or a YYYY-MM-DD date"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scope_by_role() {
        assert_eq!(LeadScope::of(Role::Support, 1, None), Some(LeadScope::All));
        assert_eq!(LeadScope::of(Role::Affiliate, 1, None), None);
        let m = LeadScope::of(Role::Manager, 7, Some(1)).unwrap_or(LeadScope::All);
        assert!(m.allows(Some(1), None));
        assert!(!m.allows(Some(2), Some(7)));
        let a = LeadScope::of(Role::ConversionAgent, 7, Some(1)).unwrap_or(LeadScope::All);
        assert!(a.allows(Some(2), Some(7)));
        assert!(a.allows(Some(1), None));
        assert!(!a.allows(None, None));
        assert!(!a.allows(Some(2), Some(8)));
    }

    #[test]
    fn search_kinds() {
        assert_eq!(Search::parse(Some("  ")).ok(), Some(None));
        assert_eq!(Search::parse(Some("Jo@X")).ok(), Some(Some(Search::Email("jo@x".into()))));
        assert_eq!(
            Search::parse(Some("+44 20-7")).ok(),
            Some(Some(Search::Phone("+44207".into())))
        );
        assert_eq!(Search::parse(Some("Smi")).ok(), Some(Some(Search::Text("smi".into()))));
        assert_eq!(Search::parse(Some("12")).ok(), Some(Some(Search::Text("12".into()))));
    }

    #[test]
    fn order_parsing() {
        assert_eq!(LeadOrder::parse(None).ok(), Some(LeadOrder::default()));
        assert_eq!(
            LeadOrder::parse(Some("name")).ok(),
            Some(LeadOrder { by: LeadOrderBy::Name, desc: false })
        );
        assert_eq!(
            LeadOrder::parse(Some("updatedAt|ASC")).ok(),
            Some(LeadOrder { by: LeadOrderBy::UpdatedAt, desc: false })
        );
        assert!(LeadOrder::parse(Some("password")).is_err());
        assert!(LeadOrder::parse(Some("name|UP")).is_err());
    }

    #[test]
    fn times() {
        assert!(parse_time("x", Some("2024-01-02")).ok().flatten().is_some());
        assert!(parse_time("x", Some("2024-01-02T03:04:05Z")).ok().flatten().is_some());
        assert!(parse_time("x", Some("yesterday")).is_err());
        assert_eq!(parse_time("x", None).ok(), Some(None));
    }
}
