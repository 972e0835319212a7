//! Adapters (seed tag Adapters): named integrations of a registered type — lead-delivery
//! targets and trading platforms — with a configuration validated per type. Secrets in the
//! configuration are masked on every read and in the audit log; a client that sends a secret
//! back in its masked form keeps the stored value.

pub mod types;

use brokercrm_core::Permission;
use brokercrm_core::validate::text;
use brokercrm_core::{Error, Result};
use brokercrm_store::db;
use brokercrm_store::repo::platform::adapters::{self, AdapterData, AdapterRow};
use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::Value;

use crate::platform::audit::{self, Audit};
use crate::platform::mask::{mask_json, restore_masked};
use crate::{App, Principal};

/// An adapter as shown to staff: configuration secrets masked.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = AdapterDto)]
pub struct AdapterView {
    #[schema(example = "acme-broker")]
    pub name: String,
    pub enabled: bool,
    /// `match_trade`, `affiliate_v2`, `http_json`, `internal_crm`, `internal_trading` or `mt5`.
    #[serde(rename = "type")]
    #[schema(example = "affiliate_v2")]
    pub kind: String,
    /// Per-type settings; secrets (passwords, tokens, keys) masked.
    #[schema(value_type = Object)]
    pub configuration: Value,
    /// Whether the type is a trading platform.
    pub is_trading: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl AdapterView {
    fn of(row: AdapterRow) -> Self {
        let cfg = serde_json::from_str::<Value>(&row.configuration).unwrap_or(Value::Null);
        Self {
            name: row.name,
            kind: row.r#type,
            enabled: row.enabled,
            is_trading: row.is_trading,
            configuration: mask_json(&cfg),
            created_at: row.created_at,
            updated_at: row.updated_at,
        }
    }
}

/// What a client sends to create or replace an adapter.
#[derive(Debug, Clone)]
pub struct AdapterInput {
    pub enabled: bool,
    pub kind: String,
    pub configuration: Value,
}

/// A new adapter's name: 1..=64 of letters, digits, `_`, `-`, `.`.
fn adapter_name(raw: &str) -> Result<String> {
    let name = text("name", raw, 64)?;
    if name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.')) {
        Ok(name)
    } else {
        Err(Error::field("name", "may contain only letters, digits, '_', '-' and '.'"))
    }
}

/// Validates type and configuration; the stored data with `is_trading` derived from the type.
fn checked(app: &App, input: &AdapterInput) -> Result<(AdapterData, Value)> {
    let ty = types::adapter_type(input.kind.trim())?;
    let configuration = types::validate_configuration(app, ty, &input.configuration)?;
    let data = AdapterData {
        kind: ty.name.to_owned(),
        enabled: input.enabled,
        is_trading: ty.trading,
        configuration: configuration.to_string(),
    };
    Ok((data, configuration))
}

/// "Get a list of all adapters", by name; only trading platforms when `only_trading`.
pub async fn list(app: &App, actor: &Principal, only_trading: bool) -> Result<Vec<AdapterView>> {
    actor.require(Permission::ReadAdapters)?;
    Ok(adapters::list(app.db().conn(), only_trading)
        .await?
        .into_iter()
        .map(AdapterView::of)
        .collect())
}

/// "Get a specific adapter by its name".
pub async fn get(app: &App, actor: &Principal, name: &str) -> Result<AdapterView> {
    actor.require(Permission::ReadAdapters)?;
    adapters::get(app.db().conn(), name)
        .await?
        .map(AdapterView::of)
        .ok_or(Error::NotFound("adapter"))
}

/// "Create a new adapter"; a taken name is a `Conflict`. Audited.
pub async fn create(
    app: &App,
    actor: &Principal,
    name: &str,
    input: AdapterInput,
) -> Result<AdapterView> {
    actor.require(Permission::ManageAdapters)?;
    let name = adapter_name(name)?;
    let (data, _) = checked(app, &input)?;
    let tx = app.db().begin_write().await?;
    if adapters::get(&tx, &name).await?.is_some() {
        return Err(Error::Conflict(format!("an adapter named '{name}' already exists")));
    }
    let row = adapters::insert(&tx, &name, data).await.map_err(|e| match e {
        Error::Conflict(_) => Error::Conflict(format!("an adapter named '{name}' already exists")),
        other => other,
    })?;
    let view = AdapterView::of(row);
    audit::record(
        &tx,
        Some(actor),
        Audit::new("adapter.create", "adapter", name.clone())
            .details(format!("adapter '{name}' ({}) created", view.kind))
            .after(&view),
    )
    .await?;
    db::commit(tx).await?;
    Ok(view)
}

/// "Update a specific adapter by its name": replaces enabled, type and configuration.
/// Masked secrets echoed back keep their stored values when the type is unchanged. Audited.
pub async fn update(
    app: &App,
    actor: &Principal,
    name: &str,
    input: AdapterInput,
) -> Result<AdapterView> {
    actor.require(Permission::ManageAdapters)?;
    let (mut data, mut configuration) = checked(app, &input)?;
    let tx = app.db().begin_write().await?;
    let old = adapters::get(&tx, name).await?.ok_or(Error::NotFound("adapter"))?;
    if old.r#type == data.kind
        && let Ok(old_cfg) = serde_json::from_str::<Value>(&old.configuration)
    {
        restore_masked(&mut configuration, &old_cfg);
        data.configuration = configuration.to_string();
    }
    if !adapters::update(&tx, name, data).await? {
        return Err(Error::NotFound("adapter"));
    }
    let row = adapters::get(&tx, name).await?.ok_or(Error::NotFound("adapter"))?;
    let (before, after) = (AdapterView::of(old), AdapterView::of(row));
    audit::record(
        &tx,
        Some(actor),
        Audit::new("adapter.update", "adapter", name)
            .details(format!("adapter '{name}' updated"))
            .before(&before)
            .after(&after),
    )
    .await?;
    db::commit(tx).await?;
    Ok(after)
}

/// "Delete a specific adapter by its name". Audited.
pub async fn delete(app: &App, actor: &Principal, name: &str) -> Result<()> {
    actor.require(Permission::ManageAdapters)?;
    let tx = app.db().begin_write().await?;
    let old = adapters::get(&tx, name).await?.ok_or(Error::NotFound("adapter"))?;
    adapters::delete(&tx, name).await?;
    audit::record(
        &tx,
        Some(actor),
        Audit::new("adapter.delete", "adapter", name)
            .details(format!("adapter '{name}' deleted"))
            .before(&AdapterView::of(old)),
    )
    .await?;
    db::commit(tx).await
}
