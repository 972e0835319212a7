//! Call agents: which provider agent (extension or login) calls a customer, per provider.
//! Staff with the customer in scope set it; the list shows the customers in the caller's
//! scope that have one, with when each was last contacted.

use brokercrm_core::Result;
use brokercrm_core::sales::calls::Provider;
use brokercrm_core::validate::text;
use brokercrm_store::db;
use brokercrm_store::repo::sales::calls as repo;
use brokercrm_store::repo::sales::communications::{self, Contact};
use chrono::{DateTime, Utc};
use serde_json::json;

use crate::platform::audit::{self, Audit};
use crate::sales::{Page, customer_in_scope, display_name, scope_of};
use crate::{App, Principal};

/// A customer's agent for one provider.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MappingView {
    /// Public id of the customer.
    pub customer_id: String,
    pub agent_id: String,
    pub provider: Provider,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// "Configure call agent for a customer": sets (or replaces) the customer's agent for
/// `provider`. Audited.
pub async fn configure(
    app: &App,
    actor: &Principal,
    customer_uuid: &str,
    agent_id: Option<&str>,
    provider: Option<&str>,
) -> Result<MappingView> {
    let conn = app.db().conn();
    let customer = customer_in_scope(conn, actor, customer_uuid).await?;
    let mut v = brokercrm_core::error::Violations::new();
    let agent = v.check(text("agentId", agent_id.unwrap_or(""), 255));
    let p = v.check(Provider::parse("provider", provider));
    v.finish()?;
    let (Some(agent), Some(p)) = (agent, p) else {
        return Err(brokercrm_core::Error::internal("unreachable"));
    };
    let tx = app.db().begin_write().await?;
    let before = repo::find_mapping(&tx, customer.id, p.as_str()).await?;
    let row = repo::upsert_mapping(&tx, customer.id, p.as_str(), &agent, actor.user_id).await?;
    let mut entry = Audit::new("calls.agent", "customer", customer.uuid.clone())
        .details(format!("{} call agent set for customer {}", p.as_str(), customer.email))
        .after(&json!({ "provider": p.as_str(), "agentId": agent }));
    if let Some(b) = before {
        entry = entry.before(&json!({ "provider": b.provider, "agentId": b.agent_id }));
    }
    audit::record(&tx, Some(actor), entry).await?;
    db::commit(tx).await?;
    Ok(MappingView {
        customer_id: customer.uuid,
        agent_id: row.agent_id,
        provider: p,
        created_at: row.created_at,
        updated_at: row.updated_at,
    })
}

/// One row of "Get customers with agents".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerAgent {
    pub customer_id: String,
    pub name: String,
    pub email: String,
    pub phone: Option<String>,
    pub agent_id: String,
    pub provider: Provider,
    /// The newest call, e-mail or SMS with the customer (from the communications log).
    pub last_contact_at: Option<DateTime<Utc>>,
}

/// "Get customers with agents": a page (by customer id) and the number of pages.
pub async fn list(
    app: &App,
    actor: &Principal,
    provider: Option<&str>,
    page: Page,
) -> Result<(Vec<CustomerAgent>, u64)> {
    let conn = app.db().conn();
    let scope = scope_of(conn, actor).await?;
    let p = Provider::parse("provider", provider)?;
    let (rows, total) =
        repo::customers_with_agents(conn, p.as_str(), &scope, page.offset, page.limit).await?;
    let ids: Vec<i64> = rows.iter().map(|u| u.id).collect();
    let maps = repo::mappings_of(conn, p.as_str(), &ids).await?;
    let mut out = Vec::with_capacity(rows.len());
    for u in rows {
        let Some(m) = maps.iter().find(|m| m.customer_id == u.id) else { continue };
        out.push(CustomerAgent {
            customer_id: u.uuid.clone(),
            name: display_name(&u),
            email: u.email.clone(),
            phone: u.mobilenumber.clone(),
            agent_id: m.agent_id.clone(),
            provider: p,
            last_contact_at: communications::last_contact_at(conn, Contact::Customer(u.id)).await?,
        });
    }
    Ok((out, page.pages(total)))
}
