//! Query parsing shared by the sales CRM tags: `limit`/`offset` as the seed's numbers, each
//! bad value a 422 naming its field, and the [`PersonDto`] shown next to records.

use brokercrm_app::sales::{Page, Person};
use brokercrm_core::error::Violations;
use brokercrm_core::{Error, Result};
use serde::Serialize;
use serde::de::DeserializeOwned;
use utoipa::ToSchema;

/// Parses a query string; a malformed one is a 400.
pub fn query<T: DeserializeOwned + Default>(raw: Option<&str>) -> Result<T> {
    match raw.filter(|s| !s.is_empty()) {
        None => Ok(T::default()),
        Some(q) => serde_urlencoded::from_str(q)
            .map_err(|e| Error::BadRequest(format!("malformed query string: {e}"))),
    }
}

/// An optional integer parameter; blank is absent.
pub fn int(name: &str, raw: Option<&str>) -> Result<Option<i64>> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => s.parse::<i64>().map(Some).map_err(|_| Error::field(name, "must be an integer")),
    }
}

/// `limit` and `offset` as a validated page; every bad one is named.
pub fn page(limit: Option<&str>, offset: Option<&str>) -> Result<Page> {
    let mut v = Violations::new();
    let l = v.check(int("limit", limit));
    let o = v.check(int("offset", offset));
    v.finish()?;
    Page::new(l.flatten(), o.flatten())
}

/// A user shown next to a CRM record.
#[derive(Debug, Serialize, ToSchema)]
pub struct PersonDto {
    /// Public user id.
    pub id: String,
    /// "First Last", or the e-mail when the user has no name.
    pub name: String,
    pub email: String,
    /// `manager`, `conversion_agent`, `retention_agent`, `admin`...
    pub role: String,
}

impl From<Person> for PersonDto {
    fn from(p: Person) -> Self {
        Self { id: p.id, name: p.name, email: p.email, role: p.role }
    }
}
