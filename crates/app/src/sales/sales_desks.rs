//! Sales desks (seed tag Sales Desk): a unique name and the sales people (managers and
//! agents) on it. A person is on at most one desk; naming them for another desk moves them.
//! Any staff member reads desks; ManageSalesSetup (admins) writes them.

use std::collections::HashMap;

use brokercrm_core::error::Violations;
use brokercrm_core::identity::auth::{Permission, Role};
use brokercrm_core::sales::scope::is_sales_role;
use brokercrm_core::validate::text;
use brokercrm_core::{Error, Result};
use brokercrm_store::ConnectionTrait;
use brokercrm_store::db::commit;
use brokercrm_store::repo::identity::users;
use brokercrm_store::repo::sales::sales_desks::{self as repo, SalesDeskRow};
use serde::Serialize;
use utoipa::ToSchema;

use super::{Page, Person, new_uuid, people};
use crate::platform::audit::{self, Audit};
use crate::{App, Principal};

/// Longest desk name.
pub const MAX_NAME: usize = 100;
/// Most sales people one request may name.
pub const MAX_PEOPLE: usize = 500;

/// A desk as the seed shows it, with its sales people (the wire shape).
#[derive(Debug, Clone, Serialize, PartialEq, Eq, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = SalesDeskDto)]
pub struct SalesDeskView {
    pub id: String,
    #[schema(example = "EN Conversion")]
    pub name: String,
    /// Sales people on the desk, by account id.
    pub sales_people: Vec<Person>,
}

/// A page of desks and the number of pages.
#[derive(Debug, Clone)]
pub struct SalesDeskPage {
    pub desks: Vec<SalesDeskView>,
    pub pages: u64,
}

/// The views of `rows`, each with its members (by user id).
async fn views<C: ConnectionTrait>(
    conn: &C,
    rows: Vec<SalesDeskRow>,
) -> Result<Vec<SalesDeskView>> {
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let members = repo::members_of(conn, &ids).await?;
    let who = people(conn, &members.iter().map(|m| m.user_id).collect::<Vec<_>>()).await?;
    let mut by_desk: HashMap<i64, Vec<Person>> = HashMap::new();
    for m in members {
        if let Some(p) = who.get(&m.user_id) {
            by_desk.entry(m.desk_id).or_default().push(p.clone());
        }
    }
    Ok(rows
        .into_iter()
        .map(|r| SalesDeskView {
            sales_people: by_desk.remove(&r.id).unwrap_or_default(),
            id: r.uuid,
            name: r.name,
        })
        .collect())
}

async fn view<C: ConnectionTrait>(conn: &C, row: SalesDeskRow) -> Result<SalesDeskView> {
    views(conn, vec![row]).await?.pop().ok_or_else(|| Error::internal("desk view missing"))
}

/// Internal ids of the sales people `uuids` name; each must be a manager or an agent. Errors
/// name `salesPeople[i]`.
async fn sales_people<C: ConnectionTrait>(conn: &C, uuids: &[String]) -> Result<Vec<i64>> {
    if uuids.len() > MAX_PEOPLE {
        return Err(Error::field("salesPeople", format!("at most {MAX_PEOPLE} people")));
    }
    let mut v = Violations::new();
    let mut ids = Vec::with_capacity(uuids.len());
    for (i, u) in uuids.iter().enumerate() {
        let field = format!("salesPeople[{i}]");
        match users::find_by_uuid(conn, u.trim()).await? {
            None => v.push(field, "unknown user"),
            Some(row) => match row.role.parse::<Role>() {
                Ok(r) if is_sales_role(r) => ids.push(row.id),
                _ => v.push(field, "must be a manager, conversion agent or retention agent"),
            },
        }
    }
    v.finish()?;
    ids.sort_unstable();
    ids.dedup();
    Ok(ids)
}

fn conflict(e: Error, name: &str) -> Error {
    match e {
        Error::Conflict(_) => {
            Error::Conflict(format!("a sales desk named '{name}' already exists"))
        }
        other => other,
    }
}

/// "Create a new sales desk": `name` required and unique (without case), optional sales
/// people. Audited.
pub async fn create(
    app: &App,
    actor: &Principal,
    name: Option<&str>,
    people_uuids: Option<&[String]>,
) -> Result<SalesDeskView> {
    actor.require(Permission::ManageSalesSetup)?;
    let name = text("name", name.unwrap_or(""), MAX_NAME)?;
    let tx = app.db().begin_write().await?;
    let members = sales_people(&tx, people_uuids.unwrap_or_default()).await?;
    let row = repo::insert(&tx, &new_uuid(), &name).await.map_err(|e| conflict(e, &name))?;
    repo::set_members(&tx, row.id, &members).await?;
    let after = view(&tx, row).await?;
    audit::record(
        &tx,
        Some(actor),
        Audit::new("sales_desk.create", "sales_desk", after.id.clone())
            .details(format!("sales desk '{name}' created"))
            .after(&after),
    )
    .await?;
    commit(tx).await?;
    Ok(after)
}

/// "Update an existing sales desk": a new name and/or the full list of its sales people
/// (absent: unchanged). Audited.
pub async fn update(
    app: &App,
    actor: &Principal,
    uuid: &str,
    name: Option<&str>,
    people_uuids: Option<&[String]>,
) -> Result<SalesDeskView> {
    actor.require(Permission::ManageSalesSetup)?;
    let name = name.map(|n| text("name", n, MAX_NAME)).transpose()?;
    let tx = app.db().begin_write().await?;
    let old = repo::find_by_uuid(&tx, uuid).await?.ok_or(Error::NotFound("sales desk"))?;
    let members = match people_uuids {
        Some(p) => Some(sales_people(&tx, p).await?),
        None => None,
    };
    let desk_id = old.id;
    let before = view(&tx, old.clone()).await?;
    let row = match &name {
        Some(n) => repo::rename(&tx, old, n).await.map_err(|e| conflict(e, n))?,
        None => old,
    };
    if let Some(m) = members {
        repo::set_members(&tx, desk_id, &m).await?;
    }
    let after = view(&tx, row).await?;
    audit::record(
        &tx,
        Some(actor),
        Audit::new("sales_desk.update", "sales_desk", uuid)
            .details(format!("sales desk '{}' updated", before.name))
            .before(&before)
            .after(&after),
    )
    .await?;
    commit(tx).await?;
    Ok(after)
}

/// "Get a sales desk by ID".
pub async fn get(app: &App, actor: &Principal, uuid: &str) -> Result<SalesDeskView> {
    actor.require(Permission::ReadSalesSetup)?;
    let conn = app.db().conn();
    let row = repo::find_by_uuid(conn, uuid).await?.ok_or(Error::NotFound("sales desk"))?;
    view(conn, row).await
}

/// "Delete a sales desk by ID": its members leave it and its customers lose their desk.
/// Audited.
pub async fn delete(app: &App, actor: &Principal, uuid: &str) -> Result<()> {
    actor.require(Permission::ManageSalesSetup)?;
    let tx = app.db().begin_write().await?;
    let old = repo::find_by_uuid(&tx, uuid).await?.ok_or(Error::NotFound("sales desk"))?;
    let desk_id = old.id;
    let before = view(&tx, old).await?;
    repo::delete(&tx, desk_id).await?;
    audit::record(
        &tx,
        Some(actor),
        Audit::new("sales_desk.delete", "sales_desk", uuid)
            .details(format!("sales desk '{}' deleted", before.name))
            .before(&before),
    )
    .await?;
    commit(tx).await
}

/// "List all sales desks", by creation.
pub async fn list(app: &App, actor: &Principal, page: Page) -> Result<SalesDeskPage> {
    actor.require(Permission::ReadSalesSetup)?;
    let conn = app.db().conn();
    let (rows, total) = repo::list(conn, page.offset, page.limit).await?;
    Ok(SalesDeskPage { desks: views(conn, rows).await?, pages: page.pages(total) })
}
