//! FetchLeadFilters as a client sends them, checked and resolved to internal ids: status ids
//! or names, sales people's public ids (`none` = unassigned / no status), sources, country,
//! modification times and the search term. Each bad value is a field error naming it.

use brokercrm_core::Result;
use brokercrm_core::distribution::crm_leads::{LeadFilter, Search, parse_time};
use brokercrm_core::error::Violations;
use brokercrm_core::validate::CountryCode;
use brokercrm_store::ConnectionTrait;
use brokercrm_store::repo::identity::users;
use brokercrm_store::repo::sales::sales_statuses;

use crate::Principal;

/// Most values in one list filter.
pub const MAX_VALUES: usize = 100;

/// FetchLeadFilters (and the shared part of "Bulk edit leads").
#[derive(Debug, Clone, Default)]
pub struct FilterInput {
    pub statuses: Vec<String>,
    pub sales_people: Vec<String>,
    pub sources: Vec<String>,
    pub only_assigned_to_me: bool,
    pub country: Option<String>,
    pub modified_before: Option<String>,
    pub modified_after: Option<String>,
    pub search: Option<String>,
}

fn too_many(v: &mut Violations, field: &str, n: usize) {
    if n > MAX_VALUES {
        v.push(field, format!("must have at most {MAX_VALUES} values"));
    }
}

/// Checks and resolves `input` for `actor`.
pub async fn resolve<C: ConnectionTrait>(
    conn: &C,
    actor: &Principal,
    input: &FilterInput,
) -> Result<LeadFilter> {
    let mut v = Violations::new();
    let mut f = LeadFilter::default();
    too_many(&mut v, "statuses", input.statuses.len());
    too_many(&mut v, "salesPeople", input.sales_people.len());
    too_many(&mut v, "sources", input.sources.len());
    v.finish()?;
    let mut v = Violations::new();

    if !input.statuses.is_empty() {
        let all = sales_statuses::list(conn, 1000).await?;
        for (i, s) in input.statuses.iter().enumerate() {
            let s = s.trim();
            if s.eq_ignore_ascii_case("none") {
                f.status_none = true;
                continue;
            }
            let found = all.iter().find(|row| {
                s.parse::<i64>().ok() == Some(row.id) || row.status.eq_ignore_ascii_case(s)
            });
            match found {
                Some(row) => f.status_ids.push(row.id),
                None => v.push(format!("statuses[{i}]"), "unknown sales status"),
            }
        }
    }
    for (i, p) in input.sales_people.iter().enumerate() {
        let p = p.trim();
        if p.eq_ignore_ascii_case("none") {
            f.person_none = true;
            continue;
        }
        match users::find_by_uuid(conn, p).await? {
            Some(u) => f.person_ids.push(u.id),
            None => v.push(format!("salesPeople[{i}]"), "unknown user"),
        }
    }
    for (i, s) in input.sources.iter().enumerate() {
        let s = s.trim();
        if s.is_empty() || s.chars().count() > 255 {
            v.push(format!("sources[{i}]"), "must be 1 to 255 characters");
        } else {
            f.sources.push(s.to_owned());
        }
    }
    if input.only_assigned_to_me {
        f.assigned_to = Some(actor.user_id);
    }
    if let Some(c) = input.country.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
        f.country = v.check(CountryCode::parse("country", c)).map(|c| c.as_str().to_owned());
    }
    f.modified_before =
        v.check(parse_time("modifiedBefore", input.modified_before.as_deref())).flatten();
    f.modified_after =
        v.check(parse_time("modifiedAfter", input.modified_after.as_deref())).flatten();
    f.search = v.check(Search::parse(input.search.as_deref())).flatten();
    v.finish()?;
    Ok(f)
}
