//! Writes that hand leads to sales people: claim (one conditional UPDATE, so of two agents
//! claiming at once exactly one wins), assign, and bulk edit of status and/or sales person
//! for every lead in scope matching a filter set. Each is audited in its transaction.

use brokercrm_core::distribution::crm_leads::LeadScope;
use brokercrm_core::sales::scope::is_sales_role;
use brokercrm_core::{Error, Result};
use brokercrm_store::ConnectionTrait;
use brokercrm_store::db::commit;
use brokercrm_store::repo::distribution::crm_leads::{self as repo, BulkSet};
use brokercrm_store::repo::identity::users::{self, UserRow};
use brokercrm_store::repo::sales::{sales_desks as desk_repo, sales_statuses};
use serde::Serialize;

use super::filters::{FilterInput, resolve};
use super::{LeadView, lead_in_scope, scope_of, view_one};
use crate::platform::audit::{self, Audit};
use crate::{App, Principal};

/// "Claim lead by ID": the caller (a manager or agent) becomes the sales person of an
/// unassigned lead in their scope. Already assigned → `Conflict`.
pub async fn claim(app: &App, actor: &Principal, uuid: &str) -> Result<LeadView> {
    if !is_sales_role(actor.role) {
        return Err(Error::Forbidden);
    }
    let tx = app.db().begin_write().await?;
    let (lead, scope, desk) = lead_in_scope(&tx, actor, uuid).await?;
    if !repo::claim(&tx, lead.id, actor.user_id, desk, &scope).await? {
        return Err(Error::Conflict("the lead already has a sales person".into()));
    }
    let after = repo::find_by_uuid(&tx, &lead.uuid).await?.ok_or(Error::NotFound("lead"))?;
    let v = view_one(&tx, after).await?;
    audit::record(
        &tx,
        Some(actor),
        Audit::new("lead.claim", "lead", v.id.clone())
            .details(format!("{} claimed lead {}", actor.email, v.id))
            .after(&v),
    )
    .await?;
    commit(tx).await?;
    Ok(v)
}

/// The sales person `uuid` names, if the caller may hand leads to them: a manager or agent,
/// and for a caller with a limited scope, themselves or someone on their own desk. Returns
/// the person and their desk.
async fn target<C: ConnectionTrait>(
    conn: &C,
    actor: &Principal,
    scope: &LeadScope,
    my_desk: Option<i64>,
    field: &str,
    uuid: &str,
) -> Result<(UserRow, Option<i64>)> {
    let user = users::find_by_uuid(conn, uuid.trim())
        .await?
        .filter(|u| u.role.parse().is_ok_and(is_sales_role))
        .ok_or_else(|| Error::field(field, "must be a manager or agent"))?;
    let desk = desk_repo::desk_of(conn, user.id).await?;
    let allowed = match scope {
        LeadScope::All => true,
        LeadScope::Limited { .. } => {
            user.id == actor.user_id || (my_desk.is_some() && desk == my_desk)
        }
    };
    if !allowed {
        return Err(Error::field(field, "must be on your sales desk"));
    }
    Ok((user, desk))
}

/// "Assign sales person to lead": `salesPersonId` (a public user id), or null/blank to
/// unassign. The lead moves to the person's desk when they have one.
pub async fn assign(
    app: &App,
    actor: &Principal,
    uuid: &str,
    sales_person: Option<&str>,
) -> Result<LeadView> {
    let tx = app.db().begin_write().await?;
    let (lead, scope, desk) = lead_in_scope(&tx, actor, uuid).await?;
    let before = view_one(&tx, lead.clone()).await?;
    match sales_person.map(str::trim).filter(|s| !s.is_empty()) {
        None => repo::assign(&tx, lead.id, None, None).await?,
        Some(p) => {
            let (user, person_desk) = target(&tx, actor, &scope, desk, "salesPersonId", p).await?;
            repo::assign(&tx, lead.id, Some(user.id), person_desk).await?;
        }
    }
    let after = repo::find_by_uuid(&tx, &lead.uuid).await?.ok_or(Error::NotFound("lead"))?;
    let v = view_one(&tx, after).await?;
    audit::record(
        &tx,
        Some(actor),
        Audit::new("lead.assign", "lead", v.id.clone())
            .details(format!("sales person of lead {} set", v.id))
            .before(&before)
            .after(&v),
    )
    .await?;
    commit(tx).await?;
    Ok(v)
}

/// "Bulk edit leads".
#[derive(Debug, Clone, Default)]
pub struct BulkInput {
    pub selected_status: Option<i64>,
    pub selected_sales_person: Option<String>,
    pub filters: FilterInput,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct BulkAudit<'a> {
    selected_status: Option<i64>,
    selected_sales_person: Option<&'a str>,
    statuses: &'a [String],
    sales_people: &'a [String],
    sources: &'a [String],
    only_assigned_to_me: bool,
    country: Option<&'a str>,
    modified_before: Option<&'a str>,
    modified_after: Option<&'a str>,
    search: Option<&'a str>,
    updated: u64,
}

/// Sets the status and/or sales person of every lead in the caller's scope matching the
/// filters, in one UPDATE; returns how many leads changed. Audited as one entry.
pub async fn bulk_edit(app: &App, actor: &Principal, input: &BulkInput) -> Result<u64> {
    let person = input.selected_sales_person.as_deref().map(str::trim).filter(|s| !s.is_empty());
    if input.selected_status.is_none() && person.is_none() {
        return Err(Error::field(
            "selectedStatus",
            "selectedStatus or selectedSalesPerson is required",
        ));
    }
    let tx = app.db().begin_write().await?;
    let (scope, desk) = scope_of(&tx, actor).await?;
    let filter = resolve(&tx, actor, &input.filters).await?;
    let mut set = BulkSet::default();
    if let Some(s) = input.selected_status {
        let row = sales_statuses::find_by_id(&tx, s)
            .await?
            .ok_or_else(|| Error::field("selectedStatus", "unknown sales status"))?;
        set.status_id = Some(row.id);
    }
    if let Some(p) = person {
        let (user, person_desk) =
            target(&tx, actor, &scope, desk, "selectedSalesPerson", p).await?;
        set.person = Some((user.id, person_desk));
    }
    let n = repo::bulk_update(&tx, &scope, &filter, set).await?;
    let f = &input.filters;
    let entry = BulkAudit {
        selected_status: input.selected_status,
        selected_sales_person: person,
        statuses: &f.statuses,
        sales_people: &f.sales_people,
        sources: &f.sources,
        only_assigned_to_me: f.only_assigned_to_me,
        country: f.country.as_deref(),
        modified_before: f.modified_before.as_deref(),
        modified_after: f.modified_after.as_deref(),
        search: f.search.as_deref(),
        updated: n,
    };
    audit::record(
        &tx,
        Some(actor),
        Audit::new("lead.bulk_edit", "lead", "*")
            .details(format!("bulk edit of {n} leads"))
            .after(&entry),
    )
    .await?;
    commit(tx).await?;
    Ok(n)
}
