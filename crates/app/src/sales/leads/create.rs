//! "Create a lead": staff enter a lead by hand. It lands on the creator's desk, and an agent
//! who creates one becomes its sales person. A lead or customer in the creator's scope with
//! the same e-mail or phone → `Conflict` (the CSV upload updates instead). One outside the
//! scope is not revealed: the lead is created as if new, and a `lead.duplicate` activity
//! names both for the staff who see every lead (admins) to merge or remove.

use std::collections::HashSet;

use brokercrm_core::error::Violations;
use brokercrm_core::identity::auth::Role;
use brokercrm_core::sales::Assignment;
use brokercrm_core::validate::{Email, opt_text, phone};
use brokercrm_core::{Error, Result};
use brokercrm_store::ConnectionTrait;
use brokercrm_store::db::commit;
use brokercrm_store::repo::distribution::crm_leads::{self, NewCrmLead};
use brokercrm_store::repo::identity::users::customers_matching;
use brokercrm_store::repo::sales::assignments;

use super::{LeadView, scope_of, view_one};
use crate::platform::audit::{self, Audit};
use crate::sales::scope_of as customer_scope_of;
use crate::{App, Principal};

/// "Create a lead" as sent.
#[derive(Debug, Clone, Default)]
pub struct NewLeadInput {
    pub name: Option<String>,
    pub email: Option<String>,
    pub mobilenumber: Option<String>,
    pub source: Option<String>,
}

/// "First Last..." split at the first space.
pub fn split_name(name: &str) -> (Option<String>, Option<String>) {
    let name = name.trim();
    match name.split_once(char::is_whitespace) {
        Some((f, l)) => (Some(f.to_owned()), Some(l.trim().to_owned()).filter(|l| !l.is_empty())),
        None if name.is_empty() => (None, None),
        None => (Some(name.to_owned()), None),
    }
}

pub async fn create(app: &App, actor: &Principal, input: &NewLeadInput) -> Result<LeadView> {
    let mut v = Violations::new();
    let name = v.check(opt_text("name", input.name.as_deref(), 600)).flatten();
    let email = match input.email.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(e) => v.check(Email::parse("email", e)).map(|e| e.as_str().to_owned()),
        None => None,
    };
    let phone = match input.mobilenumber.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(p) => v.check(phone("mobilenumber", p)),
        None => None,
    };
    let source = v.check(opt_text("source", input.source.as_deref(), 255)).flatten();
    v.finish()?;
    if email.is_none() && phone.is_none() {
        return Err(Error::field("email", "an e-mail or a mobile number is required"));
    }
    let (first_name, last_name) = split_name(name.as_deref().unwrap_or(""));

    let tx = app.db().begin_write().await?;
    let (_, desk) = scope_of(&tx, actor).await?;
    let emails: Vec<String> = email.iter().cloned().collect();
    let phones: Vec<String> = phone.iter().cloned().collect();
    let hidden = duplicates_out_of_scope(&tx, actor, &emails, &phones).await?;
    let row = crm_leads::insert_for_lead(
        &tx,
        NewCrmLead {
            uuid: uuid::Uuid::now_v7().to_string(),
            email,
            phone,
            first_name,
            last_name,
            source,
            sales_desk_id: desk,
            ..Default::default()
        },
    )
    .await?;
    if matches!(actor.role, Role::ConversionAgent | Role::RetentionAgent) {
        crm_leads::assign(&tx, row.id, Some(actor.user_id), None).await?;
    }
    let row = crm_leads::find_by_uuid(&tx, &row.uuid).await?.ok_or(Error::NotFound("lead"))?;
    let v = view_one(&tx, row).await?;
    audit::record(
        &tx,
        Some(actor),
        Audit::new("lead.create", "lead", v.id.clone())
            .details(format!("lead {} created", v.id))
            .after(&v),
    )
    .await?;
    record_hidden_duplicate(&tx, actor, &v.id, &hidden).await?;
    commit(tx).await?;
    Ok(v)
}

/// The leads and customers with one of these contacts that the caller may not see (`lead
/// <id>`, `customer <id>`); `Conflict` when the caller sees one.
async fn duplicates_out_of_scope<C: ConnectionTrait>(
    conn: &C,
    actor: &Principal,
    emails: &[String],
    phones: &[String],
) -> Result<Vec<String>> {
    let (lead_scope, _) = scope_of(conn, actor).await?;
    let mut hidden = Vec::new();
    for lead in crm_leads::matching(conn, emails, phones).await? {
        if lead_scope.allows(lead.sales_desk_id, lead.sales_person_id) {
            return Err(Error::Conflict("a lead with this e-mail or mobile number exists".into()));
        }
        hidden.push(format!("lead {}", lead.uuid));
    }
    let ids: Vec<i64> =
        customers_matching(conn, emails, phones).await?.into_iter().map(|(id, ..)| id).collect();
    let visible = visible_customers(conn, actor, &ids).await?;
    if !visible.is_empty() {
        return Err(Error::Conflict("a customer with this e-mail or mobile number exists".into()));
    }
    hidden.extend(ids.iter().map(|id| format!("customer {id}")));
    Ok(hidden)
}

/// Which of the customers `ids` the caller may see (their desk, their assignments).
pub(super) async fn visible_customers<C: ConnectionTrait>(
    conn: &C,
    actor: &Principal,
    ids: &[i64],
) -> Result<HashSet<i64>> {
    if ids.is_empty() {
        return Ok(HashSet::new());
    }
    let scope = customer_scope_of(conn, actor).await?;
    let assigned = assignments::find_many(conn, ids).await?;
    let visible = ids.iter().copied().filter(|id| {
        let a = assigned
            .iter()
            .find(|r| r.customer_id == *id)
            .map(|r| Assignment {
                desk_id: r.sales_desk_id,
                conversion_agent_id: r.conversion_agent_id,
                retention_agent_id: r.retention_agent_id,
            })
            .unwrap_or_default();
        scope.allows(&a)
    });
    Ok(visible.collect())
}

/// Records that lead `lead_id` shares a contact with `hidden` (records outside its creator's
/// scope), for the staff who see every lead to merge or remove.
pub(super) async fn record_hidden_duplicate<C: ConnectionTrait>(
    conn: &C,
    actor: &Principal,
    lead_id: &str,
    hidden: &[String],
) -> Result<()> {
    if hidden.is_empty() {
        return Ok(());
    }
    let details = format!(
        "lead {lead_id} has the e-mail or mobile number of {} outside its creator's scope",
        hidden.join(", ")
    );
    let entry = Audit::new("lead.duplicate", "lead", lead_id.to_owned()).details(details);
    audit::record(conn, Some(actor), entry).await
}
