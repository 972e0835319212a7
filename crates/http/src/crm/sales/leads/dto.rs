//! Wire shapes of the Leads tag.

use brokercrm_app::sales::leads::LeadView;
use brokercrm_app::sales::leads::filters::FilterInput;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// `{"lead": ...}`.
#[derive(Debug, Serialize, ToSchema)]
pub struct LeadEnvelope {
    pub lead: LeadView,
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
