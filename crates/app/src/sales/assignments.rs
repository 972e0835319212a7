//! Customer assignment: a customer's sales desk, conversion agent, retention agent and sales
//! status. The Customers tag's update and bulk-update operations call [`assign`]; until they
//! exist it is reached from tests and the admin CLI only.

use brokercrm_core::error::Violations;
use brokercrm_core::identity::auth::{Permission, Role};
use brokercrm_core::{Error, Result};
use brokercrm_store::db::commit;
use brokercrm_store::repo::identity::users;
use brokercrm_store::repo::sales::assignments::{self as repo, AssignmentRow};
use brokercrm_store::repo::sales::{sales_desks, sales_statuses};
use serde::Serialize;

use crate::platform::audit::{self, Audit};
use crate::{App, Principal};

/// Who a customer should be assigned to (public ids; `None`: nobody).
#[derive(Debug, Clone, Default)]
pub struct AssignmentInput {
    pub sales_desk: Option<String>,
    pub conversion_agent: Option<String>,
    pub retention_agent: Option<String>,
    pub sales_status_id: Option<i64>,
}

/// The stored assignment, by internal ids, as audited.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
struct Audited {
    sales_desk_id: Option<i64>,
    conversion_agent_id: Option<i64>,
    retention_agent_id: Option<i64>,
    sales_status_id: Option<i64>,
}

impl From<&AssignmentRow> for Audited {
    fn from(r: &AssignmentRow) -> Self {
        Self {
            sales_desk_id: r.sales_desk_id,
            conversion_agent_id: r.conversion_agent_id,
            retention_agent_id: r.retention_agent_id,
            sales_status_id: r.sales_status_id,
        }
    }
}

/// Replaces the assignment of customer `customer_uuid` (ManageSalesSetup). Agents must hold
/// the matching agent role. Audited.
pub async fn assign(
    app: &App,
    actor: &Principal,
    customer_uuid: &str,
    input: AssignmentInput,
) -> Result<()> {
    actor.require(Permission::ManageSalesSetup)?;
    let tx = app.db().begin_write().await?;
    let customer = users::find_by_uuid(&tx, customer_uuid)
        .await?
        .filter(|u| u.role == Role::Customer.as_str())
        .ok_or(Error::NotFound("customer"))?;
    let mut v = Violations::new();
    let desk = match &input.sales_desk {
        None => None,
        Some(u) => match sales_desks::find_by_uuid(&tx, u).await? {
            Some(d) => Some(d.id),
            None => {
                v.push("salesDesk", "unknown sales desk");
                None
            }
        },
    };
    let mut agent = |field: &'static str, role: Role, found: Option<users::UserRow>| match found {
        Some(u) if u.role == role.as_str() => Some(u.id),
        _ => {
            v.push(field, format!("must be a user with the {role} role"));
            None
        }
    };
    let conv = match &input.conversion_agent {
        None => None,
        Some(u) => {
            agent("conversionAgent", Role::ConversionAgent, users::find_by_uuid(&tx, u).await?)
        }
    };
    let ret = match &input.retention_agent {
        None => None,
        Some(u) => {
            agent("retentionAgent", Role::RetentionAgent, users::find_by_uuid(&tx, u).await?)
        }
    };
    if let Some(id) = input.sales_status_id
        && sales_statuses::find_by_id(&tx, id).await?.is_none()
    {
        v.push("salesStatusId", "unknown sales status");
    }
    v.finish()?;
    let before = repo::find(&tx, customer.id).await?;
    let row = AssignmentRow {
        customer_id: customer.id,
        sales_desk_id: desk,
        conversion_agent_id: conv,
        retention_agent_id: ret,
        sales_status_id: input.sales_status_id,
        updated_at: brokercrm_store::db::now(),
    };
    repo::upsert(&tx, row.clone()).await?;
    let mut entry = Audit::new("customer.assign", "customer", customer.uuid.clone())
        .details(format!("customer {} assigned", customer.email))
        .after(&Audited::from(&row));
    if let Some(b) = &before {
        entry = entry.before(&Audited::from(b));
    }
    audit::record(&tx, Some(actor), entry).await?;
    commit(tx).await
}
