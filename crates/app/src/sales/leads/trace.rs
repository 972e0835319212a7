//! The routing trace of a CRM lead that came through lead distribution ("why it went there /
//! why it was rejected"): the distribution lead's events, for a lead in the caller's scope
//! and a caller who may read lead distribution ("Get a lead" of distribution decides).

use brokercrm_core::Result;
use brokercrm_core::identity::auth::Permission;
use brokercrm_store::repo::distribution::leads as distribution_leads;

use super::lead_in_scope;
use crate::distribution::leads_admin::{self, LeadEventView};
use crate::{App, Principal};

/// The trace of lead `uuid`; `None` for a lead entered by hand or a caller without
/// ReadLeadDistribution.
pub async fn routing_trace(
    app: &App,
    actor: &Principal,
    uuid: &str,
) -> Result<Option<Vec<LeadEventView>>> {
    let conn = app.db().conn();
    let (lead, _, _) = lead_in_scope(conn, actor, uuid).await?;
    let Some(id) = lead.lead_id else { return Ok(None) };
    if !actor.role.can(Permission::ReadLeadDistribution) {
        return Ok(None);
    }
    let Some(row) = distribution_leads::find_by_id(conn, id).await? else { return Ok(None) };
    Ok(Some(leads_admin::get(app, actor, &row.uuid).await?.trace))
}
