//! "Create a lead": staff enter a lead by hand. It lands on the creator's desk, and an agent
//! who creates one becomes its sales person. A lead or customer with the same e-mail or
//! phone already exists → `Conflict` (the CSV upload updates instead).

use brokercrm_core::error::Violations;
use brokercrm_core::identity::auth::Role;
use brokercrm_core::validate::{Email, opt_text, phone};
use brokercrm_core::{Error, Result};
use brokercrm_store::db::commit;
use brokercrm_store::repo::distribution::crm_leads::{self, NewCrmLead};
use brokercrm_store::repo::identity::users::customers_matching;
use brokercrm_store::repo::sales::leads as repo;

use super::{LeadView, scope_of, view_one};
use crate::platform::audit::{self, Audit};
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
    if !repo::matching(&tx, &emails, &phones).await?.is_empty() {
        return Err(Error::Conflict("a lead with this e-mail or mobile number exists".into()));
    }
    if !customers_matching(&tx, &emails, &phones).await?.is_empty() {
        return Err(Error::Conflict("a customer with this e-mail or mobile number exists".into()));
    }
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
        repo::assign(&tx, row.id, Some(actor.user_id), None).await?;
    }
    let row = repo::find_by_uuid(&tx, &row.uuid).await?.ok_or(Error::NotFound("lead"))?;
    let v = view_one(&tx, row).await?;
    audit::record(
        &tx,
        Some(actor),
        Audit::new("lead.create", "lead", v.id.clone())
            .details(format!("lead {} created", v.id))
            .after(&v),
    )
    .await?;
    commit(tx).await?;
    Ok(v)
}
