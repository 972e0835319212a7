//! Sales statuses (seed tag Sales Status): a unique name and a hex colour. Any staff member
//! reads them; ManageSalesSetup (admins) creates and changes them.

use brokercrm_core::error::Violations;
use brokercrm_core::identity::auth::Permission;
use brokercrm_core::sales::Colour;
use brokercrm_core::sales::colour::DEFAULT_COLOUR;
use brokercrm_core::validate::text;
use brokercrm_core::{Error, Result};
use brokercrm_store::db::commit;
use brokercrm_store::repo::sales::sales_statuses::{self as repo, SalesStatusRow};
use serde::Serialize;

use crate::platform::audit::{self, Audit};
use crate::{App, Principal};

/// Most statuses "Get all sales statuses" returns (the seed has no paging for it).
pub const MAX_STATUSES: u64 = 1000;
/// Longest status name.
pub const MAX_NAME: usize = 100;

/// A sales status as the seed shows it (the wire shape).
#[derive(Debug, Clone, Serialize, PartialEq, Eq, utoipa::ToSchema)]
#[schema(as = SalesStatusDto)]
pub struct SalesStatusView {
    #[schema(example = 3)]
    pub id: i64,
    #[schema(example = "Call back")]
    pub status: String,
    /// Hex colour, `#rgb` or `#rrggbb`, lower-case.
    #[schema(example = "#1e88e5")]
    pub color: String,
}

impl From<SalesStatusRow> for SalesStatusView {
    fn from(r: SalesStatusRow) -> Self {
        Self { id: r.id, status: r.status, color: r.color }
    }
}

fn conflict(e: Error, name: &str) -> Error {
    match e {
        Error::Conflict(_) => {
            Error::Conflict(format!("a sales status named '{name}' already exists"))
        }
        other => other,
    }
}

/// "Create a new sales status": `status` required and unique (without case), `color` a hex
/// colour (default grey). Audited.
pub async fn create(
    app: &App,
    actor: &Principal,
    status: Option<&str>,
    color: Option<&str>,
) -> Result<SalesStatusView> {
    actor.require(Permission::ManageSalesSetup)?;
    let mut v = Violations::new();
    let status = v.check(text("status", status.unwrap_or(""), MAX_NAME));
    let color = v.check(match color {
        None => Ok(DEFAULT_COLOUR.to_owned()),
        Some(c) => Colour::parse("color", c).map(Colour::into_string),
    });
    v.finish()?;
    let (Some(status), Some(color)) = (status, color) else {
        return Err(Error::internal("validated fields missing"));
    };
    let tx = app.db().begin_write().await?;
    let row = repo::insert(&tx, &status, &color).await.map_err(|e| conflict(e, &status))?;
    let view = SalesStatusView::from(row);
    audit::record(
        &tx,
        Some(actor),
        Audit::new("sales_status.create", "sales_status", view.id.to_string())
            .details(format!("sales status '{status}' created"))
            .after(&view),
    )
    .await?;
    commit(tx).await?;
    Ok(view)
}

/// "Get all sales statuses", by id.
pub async fn list(app: &App, actor: &Principal) -> Result<Vec<SalesStatusView>> {
    actor.require(Permission::ReadSalesSetup)?;
    let rows = repo::list(app.db().conn(), MAX_STATUSES).await?;
    Ok(rows.into_iter().map(SalesStatusView::from).collect())
}

/// "Get a sales status by name" (compared without case).
pub async fn get_by_name(app: &App, actor: &Principal, name: &str) -> Result<SalesStatusView> {
    actor.require(Permission::ReadSalesSetup)?;
    repo::find_by_name(app.db().conn(), name)
        .await?
        .map(SalesStatusView::from)
        .ok_or(Error::NotFound("sales status"))
}

/// "Update a sales status by ID": a `None` (or JSON null) field keeps its value. Audited.
pub async fn update(
    app: &App,
    actor: &Principal,
    id: i64,
    status: Option<&str>,
    color: Option<&str>,
) -> Result<SalesStatusView> {
    actor.require(Permission::ManageSalesSetup)?;
    let mut v = Violations::new();
    let status = status.and_then(|s| v.check(text("status", s, MAX_NAME)));
    let color = color.and_then(|c| v.check(Colour::parse("color", c).map(Colour::into_string)));
    v.finish()?;
    let tx = app.db().begin_write().await?;
    let old = repo::find_by_id(&tx, id).await?.ok_or(Error::NotFound("sales status"))?;
    let before = SalesStatusView::from(old.clone());
    let row = repo::update(&tx, old, status.as_deref(), color.as_deref())
        .await
        .map_err(|e| conflict(e, status.as_deref().unwrap_or_default()))?;
    let after = SalesStatusView::from(row);
    audit::record(
        &tx,
        Some(actor),
        Audit::new("sales_status.update", "sales_status", id.to_string())
            .details(format!("sales status '{}' updated", before.status))
            .before(&before)
            .after(&after),
    )
    .await?;
    commit(tx).await?;
    Ok(after)
}
