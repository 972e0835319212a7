//! The sales CRM's basics: sales statuses, sales desks, customer assignments, comments,
//! communications and bookmarks. Setup writes need ManageSalesSetup; work on a customer needs
//! WorkCustomers and the customer in the caller's scope (`core::crm::scope`) — a customer out
//! of scope is `NotFound`, like an unknown one. Every write is audited in its transaction.

pub mod assignments;
pub mod bookmarks;
pub mod calls;
pub mod comments;
pub mod communications;
pub mod customers;
pub mod dashboard;
pub mod leads;
pub mod sales_desks;
pub mod sales_statuses;

use std::collections::HashMap;

use brokercrm_core::identity::auth::{Permission, Role};
use brokercrm_core::sales::CustomerScope;
use brokercrm_core::{Error, Result};
use brokercrm_store::ConnectionTrait;
use brokercrm_store::repo::identity::users::find_by_ids as users_by_ids;
use brokercrm_store::repo::identity::users::{self, UserRow};
use serde::Serialize;

use crate::Principal;
use crate::identity::scope::{customer_scope, holds};

/// A page of the sales CRM lists: `limit` 1..=200 (default 50), `offset` from 0.
pub type Page = brokercrm_core::paging::Page<200, 50>;

/// A user shown next to CRM records (author, sales person); served as is.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, utoipa::ToSchema)]
#[schema(as = PersonDto)]
#[serde(rename_all = "camelCase")]
pub struct Person {
    /// Public id (UUID).
    pub id: String,
    pub name: String,
    pub email: String,
    pub role: String,
}

impl From<&UserRow> for Person {
    fn from(u: &UserRow) -> Self {
        Self {
            id: u.uuid.clone(),
            name: display_name(u),
            email: u.email.clone(),
            role: u.role.clone(),
        }
    }
}

/// "First Last", or the e-mail when both are blank.
pub fn display_name(u: &UserRow) -> String {
    let name =
        format!("{} {}", u.firstname.as_deref().unwrap_or(""), u.lastname.as_deref().unwrap_or(""));
    let name = name.trim();
    if name.is_empty() { u.email.clone() } else { name.to_owned() }
}

/// People by internal id, for the given ids.
async fn people<C: ConnectionTrait>(conn: &C, ids: &[i64]) -> Result<HashMap<i64, Person>> {
    let mut ids = ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    Ok(users_by_ids(conn, &ids).await?.iter().map(|u| (u.id, Person::from(u))).collect())
}

/// The caller's customer scope (`identity::scope`); `Forbidden` without WorkCustomers.
pub async fn scope_of<C: ConnectionTrait>(conn: &C, actor: &Principal) -> Result<CustomerScope> {
    actor.require(Permission::WorkCustomers)?;
    customer_scope(conn, actor).await?.ok_or(Error::Forbidden)
}

/// The customer `uuid` names if the caller may work it: unknown, not a customer, and out of
/// scope are all `NotFound("customer")`.
pub async fn customer_in_scope<C: ConnectionTrait>(
    conn: &C,
    actor: &Principal,
    uuid: &str,
) -> Result<UserRow> {
    let scope = scope_of(conn, actor).await?;
    let customer = users::find_by_uuid(conn, uuid.trim())
        .await?
        .filter(|u| u.role == Role::Customer.as_str())
        .ok_or(Error::NotFound("customer"))?;
    if holds(conn, &scope, customer.id).await? {
        Ok(customer)
    } else {
        Err(Error::NotFound("customer"))
    }
}

/// A fresh public id.
fn new_uuid() -> String {
    uuid::Uuid::now_v7().to_string()
}
