//! The sales status of one lead (the portal's status change on a lead's page; the API sets
//! statuses through "Bulk edit leads"). Same scope and permission as the other lead writes;
//! audited with the before and after views.

use brokercrm_core::{Error, Result};
use brokercrm_store::db::commit;
use brokercrm_store::repo::distribution::crm_leads as repo;
use brokercrm_store::repo::sales::sales_statuses;

use super::{LeadView, lead_in_scope, view_one};
use crate::platform::audit::{self, Audit};
use crate::{App, Principal};

/// Sets the sales status of lead `uuid` to `status` (a sales status id), or clears it.
pub async fn set_status(
    app: &App,
    actor: &Principal,
    uuid: &str,
    status: Option<i64>,
) -> Result<LeadView> {
    let tx = app.db().begin_write().await?;
    let (lead, _, _) = lead_in_scope(&tx, actor, uuid).await?;
    if let Some(s) = status {
        sales_statuses::find_by_id(&tx, s)
            .await?
            .ok_or_else(|| Error::field("salesStatusId", "unknown sales status"))?;
    }
    let before = view_one(&tx, lead.clone()).await?;
    repo::set_status(&tx, lead.id, status).await?;
    let after = repo::find_by_uuid(&tx, &lead.uuid).await?.ok_or(Error::NotFound("lead"))?;
    let v = view_one(&tx, after).await?;
    audit::record(
        &tx,
        Some(actor),
        Audit::new("lead.status", "lead", v.id.clone())
            .details(format!("sales status of lead {} set", v.id))
            .before(&before)
            .after(&v),
    )
    .await?;
    commit(tx).await?;
    Ok(v)
}
