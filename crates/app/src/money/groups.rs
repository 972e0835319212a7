//! Trading groups (seed tag Group Messages, the five group operations): leverage, currency,
//! trading adapter, swap switch, markups, commissions and margin-call/stop-out levels that
//! wallets inherit. Staff read them with ReadWallets; writes need ManageTradingGroups and
//! are audited.

use std::sync::Arc;

use brokercrm_core::identity::auth::Permission;
use brokercrm_core::money::groups::leverage;
use brokercrm_core::money::groups::{self as group, GroupSpec, Level};
use brokercrm_core::{Currency, Error, Result, Violations};
use brokercrm_store::db;
use brokercrm_store::repo::money::groups::{self as trading_groups, GroupData, GroupRow};
use brokercrm_store::repo::money::wallets;
use brokercrm_store::repo::platform::adapters;
use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::Value;

use crate::platform::audit::{self, Audit};
use crate::{App, Principal};

/// A trading group as shown to staff and embedded in wallets.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GroupView {
    pub id: i64,
    pub name: String,
    pub leverage: i32,
    pub currency: String,
    pub adapter_name: String,
    pub disable_swap_charges: bool,
    pub markups: Value,
    pub commissions: Value,
    pub margin_call_level: Level,
    pub stop_out_level: Level,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl GroupView {
    pub fn of(r: GroupRow) -> Self {
        let json = |s: &str| serde_json::from_str(s).unwrap_or_else(|_| Value::Array(Vec::new()));
        Self {
            id: r.id,
            markups: json(&r.markups),
            commissions: json(&r.commissions),
            name: r.name,
            leverage: r.leverage,
            currency: r.currency,
            adapter_name: r.adapter_name,
            disable_swap_charges: r.disable_swap_charges,
            margin_call_level: Level::from_hundredths(r.margin_call_level),
            stop_out_level: Level::from_hundredths(r.stop_out_level),
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

/// "Create group" input (markups, commissions and levels are optional there).
#[derive(Debug, Clone)]
pub struct NewGroup {
    pub name: String,
    pub leverage: f64,
    pub currency: String,
    pub adapter_name: String,
    pub disable_swap_charges: bool,
    pub markups: Option<Value>,
    pub commissions: Option<Value>,
    pub margin_call_level: Option<f64>,
    pub stop_out_level: Option<f64>,
}

/// "Update group by ID" input: every field but name and currency.
#[derive(Debug, Clone)]
pub struct GroupUpdate {
    pub leverage: f64,
    pub markups: Value,
    pub commissions: Value,
    pub margin_call_level: f64,
    pub stop_out_level: f64,
    pub adapter_name: String,
    pub disable_swap_charges: bool,
}

fn data(s: &GroupSpec) -> GroupData {
    GroupData {
        name: s.name.clone(),
        leverage: s.leverage,
        currency: s.currency.as_str().to_owned(),
        adapter_name: s.adapter_name.clone(),
        disable_swap_charges: s.disable_swap_charges,
        markups: s.markups.to_string(),
        commissions: s.commissions.to_string(),
        margin_call_level: s.margin_call_level.hundredths(),
        stop_out_level: s.stop_out_level.hundredths(),
    }
}

/// The adapter must exist and be a trading platform.
async fn check_adapter<C: brokercrm_store::ConnectionTrait>(conn: &C, name: &str) -> Result<()> {
    match adapters::get(conn, name.trim()).await? {
        Some(a) if a.is_trading => Ok(()),
        Some(_) => Err(Error::field("adapterName", "is not a trading adapter")),
        None => Err(Error::field("adapterName", "no adapter has this name")),
    }
}

fn spec(n: &NewGroup) -> Result<GroupSpec> {
    let mut v = Violations::new();
    let name = v.check(group::name(&n.name));
    let lev = v.check(leverage("leverage", n.leverage));
    let currency = v.check(Currency::parse("currency", n.currency.trim()));
    let adapter = v.check(brokercrm_core::validate::text("adapterName", &n.adapter_name, 64));
    let empty = Value::Array(Vec::new());
    let markups = v.check(group::markups(n.markups.as_ref().unwrap_or(&empty)));
    let commissions =
        v.check(group::object_list("commissions", n.commissions.as_ref().unwrap_or(&empty)));
    let levels = group::check_levels(&mut v, n.margin_call_level, n.stop_out_level);
    v.finish()?;
    match (name, lev, currency, adapter, markups, commissions, levels) {
        (
            Some(name),
            Some(leverage),
            Some(currency),
            Some(adapter_name),
            Some(m),
            Some(c),
            Some((mc, so)),
        ) => Ok(GroupSpec {
            name,
            leverage,
            currency,
            adapter_name,
            disable_swap_charges: n.disable_swap_charges,
            markups: m,
            commissions: c,
            margin_call_level: mc,
            stop_out_level: so,
        }),
        _ => Err(Error::internal("unreachable: violations were empty")),
    }
}

/// "Get groups", by id.
pub async fn list(app: &App, actor: &Principal) -> Result<Vec<GroupView>> {
    actor.require(Permission::ReadWallets)?;
    Ok(trading_groups::list(app.db().conn()).await?.into_iter().map(GroupView::of).collect())
}

/// "Get group by ID".
pub async fn get(app: &App, actor: &Principal, id: i64) -> Result<GroupView> {
    actor.require(Permission::ReadWallets)?;
    trading_groups::find(app.db().conn(), id)
        .await?
        .map(GroupView::of)
        .ok_or(Error::NotFound("group"))
}

/// "Create group"; a taken name is a conflict. Audited.
pub async fn create(app: &App, actor: &Principal, n: NewGroup) -> Result<GroupView> {
    actor.require(Permission::ManageTradingGroups)?;
    let s = spec(&n)?;
    let tx = app.db().begin_write().await?;
    check_adapter(&tx, &s.adapter_name).await?;
    let taken = || Error::Conflict(format!("a group named '{}' already exists", s.name));
    if trading_groups::find_by_name(&tx, &s.name).await?.is_some() {
        return Err(taken());
    }
    let row = trading_groups::insert(&tx, data(&s)).await.map_err(|e| match e {
        Error::Conflict(_) => taken(),
        other => other,
    })?;
    let view = GroupView::of(row);
    let entry = Audit::new("group.create", "group", view.id.to_string())
        .details(format!("trading group '{}' created", view.name))
        .after(&view);
    audit::record(&tx, Some(actor), entry).await?;
    db::commit(tx).await?;
    app.groups().forget_all();
    Ok(view)
}

/// Trading group `id` through this process's cache (`trading_cache_ttl`): what the trading
/// request path reads for a wallet's markups. `update` and `delete` drop the cache.
pub async fn cached(app: &App, id: i64) -> Result<Option<Arc<GroupRow>>> {
    let read = async { Ok(trading_groups::find(app.db().conn(), id).await?.map(Arc::new)) };
    app.groups().get_or_read(id, read).await
}

/// "Update group by ID": replaces everything but name and currency. Audited.
pub async fn update(app: &App, actor: &Principal, id: i64, u: GroupUpdate) -> Result<GroupView> {
    actor.require(Permission::ManageTradingGroups)?;
    let tx = app.db().begin_write().await?;
    let old = trading_groups::find(&tx, id).await?.ok_or(Error::NotFound("group"))?;
    let s = spec(&NewGroup {
        name: old.name.clone(),
        leverage: u.leverage,
        currency: old.currency.clone(),
        adapter_name: u.adapter_name,
        disable_swap_charges: u.disable_swap_charges,
        markups: Some(u.markups),
        commissions: Some(u.commissions),
        margin_call_level: Some(u.margin_call_level),
        stop_out_level: Some(u.stop_out_level),
    })?;
    check_adapter(&tx, &s.adapter_name).await?;
    if !trading_groups::update(&tx, id, data(&s)).await? {
        return Err(Error::NotFound("group"));
    }
    let row = trading_groups::find(&tx, id).await?.ok_or(Error::NotFound("group"))?;
    let (before, view) = (GroupView::of(old), GroupView::of(row));
    let entry = Audit::new("group.update", "group", id.to_string())
        .details(format!("trading group '{}' updated", view.name))
        .before(&before)
        .after(&view);
    audit::record(&tx, Some(actor), entry).await?;
    db::commit(tx).await?;
    app.groups().forget_all();
    Ok(view)
}

/// "Delete group by ID"; a group still used by wallets is a conflict. Audited.
pub async fn delete(app: &App, actor: &Principal, id: i64) -> Result<()> {
    actor.require(Permission::ManageTradingGroups)?;
    let tx = app.db().begin_write().await?;
    let old = trading_groups::find(&tx, id).await?.ok_or(Error::NotFound("group"))?;
    let in_use = || Error::Conflict("the group still has wallets".into());
    // Asked first for a clear answer; the foreign key still guards a racing insert.
    if wallets::group_in_use(&tx, id).await? {
        return Err(in_use());
    }
    trading_groups::delete(&tx, id).await.map_err(|e| match e {
        Error::Conflict(_) => in_use(),
        other => other,
    })?;
    let before = GroupView::of(old);
    let entry = Audit::new("group.delete", "group", id.to_string())
        .details(format!("trading group '{}' deleted", before.name))
        .before(&before);
    audit::record(&tx, Some(actor), entry).await?;
    db::commit(tx).await?;
    app.groups().forget_all();
    Ok(())
}
