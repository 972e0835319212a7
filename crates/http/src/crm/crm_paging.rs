//! The [`PersonDto`] shown next to the sales CRM's records.

use brokercrm_app::sales::Person;
use serde::Serialize;
use utoipa::ToSchema;

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
