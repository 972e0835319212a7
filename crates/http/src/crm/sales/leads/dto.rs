//! Wire shapes of the Leads tag.

use brokercrm_app::sales::leads::LeadView;
use brokercrm_app::sales::leads::filters::FilterInput;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use brokercrm_app::sales::Person;

/// A CRM lead.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct LeadDto {
    /// Public id (UUID).
    pub id: String,
    /// "First Last".
    #[schema(example = "Jane Doe")]
    pub name: String,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    #[schema(example = "jane@example.com")]
    pub email: Option<String>,
    /// E.164-like: `+` and digits.
    #[schema(example = "+35799123456")]
    pub mobilenumber: Option<String>,
    /// ISO 3166-1 alpha-2.
    #[schema(example = "CY")]
    pub country: Option<String>,
    pub language: Option<String>,
    pub source: Option<String>,
    /// True when the lead has a phone number.
    pub can_be_called: bool,
    /// Name of the sales status.
    pub sales_status: Option<String>,
    /// Id of the sales status.
    pub sales_status_id: Option<i64>,
    /// Public id of the sales person.
    pub sales_person_id: Option<String>,
    pub sales_person: Option<Person>,
    /// Last call, e-mail or SMS with the lead.
    pub last_contact_at: Option<DateTime<Utc>>,
    pub is_test: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<LeadView> for LeadDto {
    fn from(v: LeadView) -> Self {
        Self {
            id: v.id,
            name: v.name,
            first_name: v.first_name,
            last_name: v.last_name,
            email: v.email,
            mobilenumber: v.mobilenumber,
            country: v.country,
            language: v.language,
            source: v.source,
            can_be_called: v.can_be_called,
            sales_status: v.sales_status,
            sales_status_id: v.sales_status_id,
            sales_person_id: v.sales_person_id,
            sales_person: v.sales_person,
            last_contact_at: v.last_contact_at,
            is_test: v.is_test,
            created_at: v.created_at,
            updated_at: v.updated_at,
        }
    }
}

/// `{"lead": ...}`.
#[derive(Debug, Serialize, ToSchema)]
pub struct LeadEnvelope {
    pub lead: LeadDto,
}

/// FetchLeadFilters: every given filter must hold.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct FetchLeadFilters {
    /// List of statuses: sales status ids or names; `none` = no status.
    pub statuses: Option<Vec<String>>,
    /// List of sales people (public user ids); `none` = unassigned.
    pub sales_people: Option<Vec<String>>,
    /// List of sources (exact).
    pub sources: Option<Vec<String>>,
    /// Filter for assignments to the user.
    pub only_assigned_to_me: Option<bool>,
    /// Country code (ISO 3166-1 alpha-2).
    #[schema(pattern = "^[A-Z]{2}$", example = "CY")]
    pub country: Option<String>,
    /// Modified before (exclusive): RFC 3339 or `YYYY-MM-DD`.
    pub modified_before: Option<String>,
    /// Modified at or after: RFC 3339 or `YYYY-MM-DD`.
    pub modified_after: Option<String>,
    /// Prefix of the e-mail, phone, "first last" or last name (case-insensitive).
    pub search: Option<String>,
}

impl FetchLeadFilters {
    pub fn into_input(self, search: Option<String>) -> FilterInput {
        FilterInput {
            statuses: self.statuses.unwrap_or_default(),
            sales_people: self.sales_people.unwrap_or_default(),
            sources: self.sources.unwrap_or_default(),
            only_assigned_to_me: self.only_assigned_to_me.unwrap_or(false),
            country: self.country,
            modified_before: self.modified_before,
            modified_after: self.modified_after,
            search: search.or(self.search),
        }
    }
}
