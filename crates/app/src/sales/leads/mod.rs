//! CRM leads (seed 002 tag Leads): the sales CRM's work on the leads in `crm_leads` — list
//! with FetchLeadFilters, get, claim, assign, bulk edit, comments, communications, e-mail,
//! create and CSV upload. Staff need WorkCustomers; a lead outside the caller's scope
//! (`core::crm::leads::LeadScope`) is `NotFound`, like an unknown one. Every write is audited
//! in its transaction.

pub mod create;
pub mod filters;
pub mod generate;
pub mod import;
pub mod list;
pub mod notes;
pub mod status;
pub mod trace;
pub mod work;

use std::collections::HashMap;

use brokercrm_core::distribution::crm_leads::LeadScope;
use brokercrm_core::identity::auth::{Permission, Role};
use brokercrm_core::{Error, Result};
use brokercrm_store::ConnectionTrait;
use brokercrm_store::repo::distribution::crm_leads::{self as repo, CrmLeadRow};
use brokercrm_store::repo::sales::{sales_desks as desk_repo, sales_statuses};
use chrono::{DateTime, Utc};
use serde::Serialize;

use super::{Person, people};
use crate::Principal;

/// A CRM lead as staff see it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = LeadDto)]
pub struct LeadView {
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

/// The caller's lead scope and desk; `Forbidden` without WorkCustomers.
pub async fn scope_of<C: ConnectionTrait>(
    conn: &C,
    actor: &Principal,
) -> Result<(LeadScope, Option<i64>)> {
    actor.require(Permission::WorkCustomers)?;
    let desk = match actor.role {
        Role::Manager | Role::ConversionAgent | Role::RetentionAgent => {
            desk_repo::desk_of(conn, actor.user_id).await?
        }
        _ => None,
    };
    let scope = LeadScope::of(actor.role, actor.user_id, desk).ok_or(Error::Forbidden)?;
    Ok((scope, desk))
}

/// The lead `uuid` names if the caller may work it; unknown and out of scope are both
/// `NotFound("lead")`.
pub async fn lead_in_scope<C: ConnectionTrait>(
    conn: &C,
    actor: &Principal,
    uuid: &str,
) -> Result<(CrmLeadRow, LeadScope, Option<i64>)> {
    let (scope, desk) = scope_of(conn, actor).await?;
    let lead = repo::find_by_uuid(conn, uuid.trim()).await?.ok_or(Error::NotFound("lead"))?;
    if scope.allows(lead.sales_desk_id, lead.sales_person_id) {
        Ok((lead, scope, desk))
    } else {
        Err(Error::NotFound("lead"))
    }
}

/// Views of `rows`, with their sales people and statuses looked up once.
pub async fn views<C: ConnectionTrait>(conn: &C, rows: Vec<CrmLeadRow>) -> Result<Vec<LeadView>> {
    let who =
        people(conn, &rows.iter().filter_map(|r| r.sales_person_id).collect::<Vec<_>>()).await?;
    let mut status_ids: Vec<i64> = rows.iter().filter_map(|r| r.sales_status_id).collect();
    status_ids.sort_unstable();
    status_ids.dedup();
    let statuses: HashMap<i64, String> = sales_statuses::find_by_ids(conn, &status_ids)
        .await?
        .into_iter()
        .map(|s| (s.id, s.status))
        .collect();
    Ok(rows.into_iter().map(|r| view(r, &who, &statuses)).collect())
}

/// The view of one lead.
pub async fn view_one<C: ConnectionTrait>(conn: &C, row: CrmLeadRow) -> Result<LeadView> {
    views(conn, vec![row]).await?.pop().ok_or_else(|| Error::internal("lead view missing"))
}

fn view(r: CrmLeadRow, who: &HashMap<i64, Person>, statuses: &HashMap<i64, String>) -> LeadView {
    let name = format!(
        "{} {}",
        r.first_name.as_deref().unwrap_or(""),
        r.last_name.as_deref().unwrap_or("")
    )
    .trim()
    .to_owned();
    let person = r.sales_person_id.and_then(|p| who.get(&p).cloned());
    LeadView {
        id: r.uuid,
        name,
        first_name: r.first_name,
        last_name: r.last_name,
        email: r.email,
        can_be_called: r.phone.is_some(),
        mobilenumber: r.phone,
        country: r.country,
        language: r.language,
        source: r.source,
        sales_status: r.sales_status_id.and_then(|s| statuses.get(&s).cloned()),
        sales_status_id: r.sales_status_id,
        sales_person_id: person.as_ref().map(|p| p.id.clone()),
        sales_person: person,
        last_contact_at: r.last_contact_at,
        is_test: r.is_test,
        created_at: r.created_at,
        updated_at: r.updated_at,
    }
}
