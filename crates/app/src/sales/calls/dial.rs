//! "Initiate a call by an agent" and "Initiate a lead call by an agent": the call is recorded
//! (and audited) first, then the current provider is asked to dial through the `VoipProvider`
//! client; the call's outcome arrives later through the provider's webhook.
//!
//! The agent who takes the call is the customer's call agent for the provider, else the
//! caller's e-mail (providers identify agents by login). A CRM lead is in the caller's scope
//! when admins/risk/support ask, when the caller is its sales person, when its customer is in
//! the caller's customer scope, or (managers) when its sales person is on the manager's desk.

use brokercrm_core::identity::auth::Role;
use brokercrm_core::sales::calls::{CallStatus, Provider};
use brokercrm_core::sales::{Assignment, CustomerScope};
use brokercrm_core::{Error, Result};
use brokercrm_integrations::voip::{CallRequest, CoperatoClient, VoipProvider, VoisoClient};
use brokercrm_store::db;
use brokercrm_store::repo::distribution::crm_leads as lead_repo;
use brokercrm_store::repo::sales::calls::{self as repo, CallRow, NewCall};
use brokercrm_store::repo::sales::{assignments as assignment_repo, sales_desks as desk_repo};
use serde_json::json;

use super::config::{ProviderConfig, current, provider_config};
use super::new_uuid;
use crate::platform::audit::{self, Audit};
use crate::sales::{customer_in_scope, scope_of};
use crate::{App, Principal};

/// A call the provider accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dialled {
    /// Our call id (the provider quotes it in its webhooks).
    pub call_id: String,
    pub provider: Provider,
    pub status: CallStatus,
}

/// Who is called.
enum Callee {
    Customer(i64),
    Lead(i64),
}

fn client(cfg: &ProviderConfig) -> Result<Box<dyn VoipProvider>> {
    let unusable = || Error::field("provider", "the VoIP provider is not configured");
    let url = cfg.url.clone().ok_or_else(unusable)?;
    Ok(match cfg.provider {
        Provider::Voiso => Box::new(VoisoClient {
            base_url: url,
            api_key: cfg.api_key.clone().ok_or_else(unusable)?,
        }),
        Provider::Coperato => Box::new(CoperatoClient { base_url: url }),
    })
}

/// "Initiate a call by an agent": calls customer `uuid` (in the caller's scope).
pub async fn call_customer(app: &App, actor: &Principal, uuid: &str) -> Result<Dialled> {
    let customer = customer_in_scope(app.db().conn(), actor, uuid).await?;
    let phone = customer.mobilenumber.clone().filter(|p| !p.trim().is_empty());
    dial(app, actor, Callee::Customer(customer.id), &customer.uuid, phone).await
}

/// "Initiate a lead call by an agent": calls CRM lead `uuid` (in the caller's scope).
pub async fn call_lead(app: &App, actor: &Principal, uuid: &str) -> Result<Dialled> {
    let conn = app.db().conn();
    let scope = scope_of(conn, actor).await?;
    let lead = lead_repo::find_by_uuid(conn, uuid.trim()).await?.ok_or(Error::NotFound("lead"))?;
    let visible = match scope {
        CustomerScope::All => true,
        CustomerScope::Limited { desk_id, user_id, .. } => {
            let own = lead.sales_person_id == Some(user_id);
            let via_customer = match lead.customer_id {
                Some(c) => {
                    let a = assignment_repo::find(conn, c)
                        .await?
                        .map(|r| Assignment {
                            desk_id: r.sales_desk_id,
                            conversion_agent_id: r.conversion_agent_id,
                            retention_agent_id: r.retention_agent_id,
                        })
                        .unwrap_or_default();
                    scope.allows(&a)
                }
                None => false,
            };
            let via_desk = match (actor.role, desk_id, lead.sales_person_id) {
                (Role::Manager, Some(d), Some(sp)) => {
                    desk_repo::desk_of(conn, sp).await? == Some(d)
                }
                _ => false,
            };
            own || via_customer || via_desk
        }
    };
    if !visible {
        return Err(Error::NotFound("lead"));
    }
    let phone = lead.phone.clone().filter(|p| !p.trim().is_empty());
    dial(app, actor, Callee::Lead(lead.id), &lead.uuid, phone).await
}

async fn dial(
    app: &App,
    actor: &Principal,
    callee: Callee,
    callee_uuid: &str,
    phone: Option<String>,
) -> Result<Dialled> {
    let conn = app.db().conn();
    let p = current(app)
        .await?
        .ok_or_else(|| Error::field("provider", "no VoIP provider is configured"))?;
    let cfg = provider_config(app, p).await?;
    let provider = client(&cfg)?;
    let phone = phone.ok_or_else(|| Error::field("phone", "has no phone number to call"))?;
    let (customer_id, crm_lead_id, entity) = match callee {
        Callee::Customer(id) => (Some(id), None, "customer"),
        Callee::Lead(id) => (None, Some(id), "lead"),
    };
    let agent = match customer_id {
        Some(c) => repo::find_mapping(conn, c, p.as_str()).await?.map(|m| m.agent_id),
        None => None,
    }
    .unwrap_or_else(|| actor.email.clone());

    let tx = app.db().begin_write().await?;
    let call = repo::insert_call(
        &tx,
        NewCall {
            uuid: new_uuid(),
            provider: p.as_str().to_owned(),
            customer_id,
            crm_lead_id,
            agent_user_id: Some(actor.user_id),
            agent_ref: agent.clone(),
            phone: phone.clone(),
            status: CallStatus::Initiated.as_str().to_owned(),
        },
    )
    .await?;
    let entry = Audit::new("calls.initiate", entity, callee_uuid.to_owned())
        .details(format!("{} call {} started by {}", p.as_str(), call.uuid, actor.email))
        .after(&json!({ "callId": call.uuid, "provider": p.as_str(), "agent": agent }));
    audit::record(&tx, Some(actor), entry).await?;
    db::commit(tx).await?;

    let req = CallRequest { call_id: call.uuid.clone(), agent, number: phone };
    match provider.start_call(&app.adapters().http, &req).await {
        Ok(started) => {
            let status = CallStatus::Requested;
            set_status(app, &call, status, started.provider_call_id.as_deref()).await?;
            Ok(Dialled { call_id: call.uuid, provider: p, status })
        }
        Err(e) => {
            set_status(app, &call, CallStatus::Failed, None).await?;
            Err(e)
        }
    }
}

/// Moves a call forward after the provider answered (a webhook may already have moved it).
async fn set_status(
    app: &App,
    call: &CallRow,
    next: CallStatus,
    provider_call_id: Option<&str>,
) -> Result<()> {
    let tx = app.db().begin_write().await?;
    let now = repo::lock_call(&tx, &call.provider, &call.uuid).await?;
    let cur = now.and_then(|c| CallStatus::parse(&c.status)).unwrap_or(CallStatus::Initiated);
    let status = cur.advance(next);
    repo::update_call(&tx, call.id, status.as_str(), provider_call_id, None, None).await?;
    db::commit(tx).await
}
