//! Goal types: what a conversion reaches. "Lead" and "FTD" are system goal types (created on
//! demand by [`ensure_system`], never renamed or deleted); staff add their own.

use brokercrm_core::identity::auth::Permission;
use brokercrm_core::validate::text;
use brokercrm_core::{Error, Result};
use brokercrm_store::ConnectionTrait;
use brokercrm_store::repo::distribution::ftd;
use brokercrm_store::repo::distribution::goal_types::{self, GoalTypeRow};
use chrono::{DateTime, Utc};
use serde::Serialize;

use super::{Page, new_uuid};
use crate::platform::audit::{self, Audit};
use crate::{App, Principal};

/// Name of the system goal type every accepted lead reaches.
pub const LEAD: &str = "Lead";
/// Name of the system goal type of a first deposit.
pub const FTD: &str = "FTD";

/// A goal type as staff see it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = GoalTypeDto)]
pub struct GoalTypeView {
    pub uuid: String,
    #[schema(example = "FTD")]
    pub name: String,
    /// System goal types ("Lead", "FTD") cannot be renamed or deleted.
    pub system: bool,
    pub created_at: DateTime<Utc>,
}

impl From<GoalTypeRow> for GoalTypeView {
    fn from(r: GoalTypeRow) -> Self {
        Self { uuid: r.uuid, name: r.name, system: r.system, created_at: r.created_at }
    }
}

/// Creates the system goal types "Lead" and "FTD" unless they exist; returns their ids
/// `(lead, ftd)`. Idempotent and safe under concurrency (insert-if-absent on the unique name,
/// then read). Runs on `conn` (a connection or the caller's transaction).
pub async fn ensure_system<C: ConnectionTrait>(conn: &C) -> Result<(i64, i64)> {
    let lead = goal_types::ensure_system(conn, LEAD).await?;
    let ftd = goal_types::ensure_system(conn, FTD).await?;
    Ok((lead.id, ftd.id))
}

/// Goal types by id.
pub async fn list(app: &App, actor: &Principal, page: Page) -> Result<Vec<GoalTypeView>> {
    actor.require(Permission::ReadLeadDistribution)?;
    let rows = goal_types::list(app.db().conn(), page.offset, page.limit).await?;
    Ok(rows.into_iter().map(GoalTypeView::from).collect())
}

fn conflict(e: Error, name: &str) -> Error {
    match e {
        Error::Conflict(_) => Error::Conflict(format!("a goal type named '{name}' already exists")),
        other => other,
    }
}

/// Creates a goal type; a taken name is a `Conflict`. Audited.
pub async fn create(app: &App, actor: &Principal, name: &str) -> Result<GoalTypeView> {
    actor.require(Permission::ManageLeadDistribution)?;
    let name = text("name", name, 100)?;
    let tx = app.db().begin_write().await?;
    let row =
        goal_types::insert(&tx, &new_uuid(), &name, false).await.map_err(|e| conflict(e, &name))?;
    let view = GoalTypeView::from(row);
    audit::record(
        &tx,
        Some(actor),
        Audit::new("goal_type.create", "goal_type", view.uuid.clone())
            .details(format!("goal type '{name}' created"))
            .after(&view),
    )
    .await?;
    super::commit_config(app, tx).await?;
    Ok(view)
}

/// Renames a goal type; system goal types keep their names. Audited.
pub async fn rename(app: &App, actor: &Principal, uuid: &str, name: &str) -> Result<GoalTypeView> {
    actor.require(Permission::ManageLeadDistribution)?;
    let name = text("name", name, 100)?;
    let tx = app.db().begin_write().await?;
    let old = goal_types::find_by_uuid(&tx, uuid).await?.ok_or(Error::NotFound("goal type"))?;
    if old.system && old.name != name {
        return Err(Error::field("name", "system goal types cannot be renamed"));
    }
    goal_types::rename(&tx, old.id, &name).await.map_err(|e| conflict(e, &name))?;
    let before = GoalTypeView::from(old.clone());
    let after = GoalTypeView { name: name.clone(), ..before.clone() };
    audit::record(
        &tx,
        Some(actor),
        Audit::new("goal_type.update", "goal_type", uuid)
            .details(format!("goal type '{}' renamed to '{name}'", old.name))
            .before(&before)
            .after(&after),
    )
    .await?;
    super::commit_config(app, tx).await?;
    Ok(after)
}

/// Deletes a goal type; system ones and ones with conversions are a `Conflict`. Audited.
pub async fn delete(app: &App, actor: &Principal, uuid: &str) -> Result<()> {
    actor.require(Permission::ManageLeadDistribution)?;
    let tx = app.db().begin_write().await?;
    let old = goal_types::find_by_uuid(&tx, uuid).await?.ok_or(Error::NotFound("goal type"))?;
    if old.system {
        return Err(Error::Conflict("system goal types cannot be deleted".into()));
    }
    if ftd::count_for_goal_type(&tx, old.id).await? > 0 {
        return Err(Error::Conflict("the goal type has conversions and cannot be deleted".into()));
    }
    goal_types::delete(&tx, old.id).await?;
    audit::record(
        &tx,
        Some(actor),
        Audit::new("goal_type.delete", "goal_type", uuid)
            .details(format!("goal type '{}' deleted", old.name))
            .before(&GoalTypeView::from(old)),
    )
    .await?;
    super::commit_config(app, tx).await
}
