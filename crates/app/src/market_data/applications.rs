//! Staff admin of market-data applications (ManageMarketData to change, ReadMarketData to
//! list): each has an API key, shown once at creation and stored hashed, and its rules —
//! credentials generation, whether orders need the application's confirmation, how a cancel
//! takes effect, the subscriber statuses it serves, the default success redirect URL. Every
//! change is audited.

use brokercrm_core::error::Violations;
use brokercrm_core::identity::auth::Permission;
use brokercrm_core::market_data::Allowed;
use brokercrm_core::validate::{http_url, text};
use brokercrm_core::{Error, Result};
use brokercrm_store::db::commit;
use brokercrm_store::repo::market_data::applications::{self as repo, AppRules, ApplicationRow};
use serde::Serialize;

use crate::identity::security::{random_token, token_hash};
use crate::market_data::cancel::CANCEL_MODES;
use crate::market_data::key::{KEY_PREFIX, forget_keys};
use crate::platform::audit::{self, Audit};
use crate::{App, Principal};

/// An application as staff see it (never its key).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ApplicationView {
    pub id: String,
    pub name: String,
    /// What identifies the key without revealing it: `bmd_<prefix>_…`.
    pub key_prefix: String,
    pub credentials_enabled: bool,
    pub confirmation_required: bool,
    pub cancel_mode: String,
    pub allowed_statuses: String,
    pub success_redirect_url: Option<String>,
    pub revoked: bool,
}

impl From<&ApplicationRow> for ApplicationView {
    fn from(r: &ApplicationRow) -> Self {
        Self {
            id: r.uuid.clone(),
            name: r.name.clone(),
            key_prefix: format!("{KEY_PREFIX}{}_", r.key_prefix),
            credentials_enabled: r.credentials_enabled,
            confirmation_required: r.confirmation_required,
            cancel_mode: r.cancel_mode.clone(),
            allowed_statuses: r.allowed_statuses.clone(),
            success_redirect_url: r.success_redirect_url.clone(),
            revoked: r.revoked_at.is_some(),
        }
    }
}

/// The rules as submitted; absent fields take their defaults.
#[derive(Debug, Clone, Default)]
pub struct AppInput {
    pub name: Option<String>,
    pub credentials_enabled: Option<bool>,
    pub confirmation_required: Option<bool>,
    pub cancel_mode: Option<String>,
    pub allowed_statuses: Option<String>,
    pub success_redirect_url: Option<String>,
}

fn parse(i: &AppInput) -> Result<AppRules> {
    let mut v = Violations::new();
    let name = v.check(text("name", i.name.as_deref().unwrap_or(""), 100));
    let cancel_mode = i.cancel_mode.clone().unwrap_or_else(|| "IMMEDIATE".into());
    if !CANCEL_MODES.contains(&cancel_mode.as_str()) {
        v.push("cancelMode", "must be IMMEDIATE or END_OF_MONTH");
    }
    let allowed = i.allowed_statuses.clone().unwrap_or_else(|| "ALL".into());
    if Allowed::parse(&allowed).is_none() {
        v.push("allowedStatuses", "must be ALL, PROFESSIONAL or NON_PROFESSIONAL");
    }
    let url = match i.success_redirect_url.as_deref().filter(|s| !s.trim().is_empty()) {
        Some(u) => v.check(http_url("successRedirectUrl", u)),
        None => None,
    };
    v.finish()?;
    Ok(AppRules {
        name: name.unwrap_or_default(),
        credentials_enabled: i.credentials_enabled.unwrap_or(true),
        confirmation_required: i.confirmation_required.unwrap_or(false),
        cancel_mode,
        allowed_statuses: allowed,
        success_redirect_url: url,
    })
}

/// A new API key and its prefix.
fn new_key() -> (String, String) {
    let prefix = random_token(6).replace(['-', '_'], "x");
    let key = format!("{KEY_PREFIX}{prefix}_{}", random_token(32));
    (prefix, key)
}

/// Creates an application; returns it and its API key (shown once). `actor: None` is the CLI
/// or the demo.
pub async fn create(
    app: &App,
    actor: Option<&Principal>,
    input: &AppInput,
) -> Result<(ApplicationView, String)> {
    if let Some(a) = actor {
        a.forbid_impersonation("create a market-data application")?;
        a.require(Permission::ManageMarketData)?;
    }
    let rules = parse(input)?;
    let (prefix, key) = new_key();
    let tx = app.db().begin_write().await?;
    let row = repo::insert(
        &tx,
        uuid::Uuid::now_v7().to_string(),
        prefix,
        token_hash(&key),
        rules,
        app.clock().now(),
    )
    .await?;
    let view = ApplicationView::from(&row);
    audit::record(
        &tx,
        actor,
        Audit::new("market_data.application.create", "market_data_application", view.id.clone())
            .details(format!("market-data application '{}' created", view.name))
            .after(&view),
    )
    .await?;
    commit(tx).await?;
    Ok((view, key))
}

/// Replaces an application's rules (not its key). Audited.
pub async fn update(
    app: &App,
    actor: &Principal,
    id: &str,
    input: &AppInput,
) -> Result<ApplicationView> {
    actor.require(Permission::ManageMarketData)?;
    let rules = parse(input)?;
    let tx = app.db().begin_write().await?;
    let old = repo::find_by_uuid(&tx, id).await?.ok_or(Error::NotFound("application"))?;
    let before = ApplicationView::from(&old);
    let row = repo::update(&tx, old, rules, app.clock().now()).await?;
    let after = ApplicationView::from(&row);
    audit::record(
        &tx,
        Some(actor),
        Audit::new("market_data.application.update", "market_data_application", id)
            .details(format!("market-data application '{}' updated", after.name))
            .before(&before)
            .after(&after),
    )
    .await?;
    commit(tx).await?;
    forget_keys(app);
    Ok(after)
}

/// Revokes an application's key: its calls fail from now on (other instances within the
/// key cache's lifetime). Audited.
pub async fn revoke(app: &App, actor: &Principal, id: &str) -> Result<()> {
    actor.require(Permission::ManageMarketData)?;
    let tx = app.db().begin_write().await?;
    if !repo::revoke(&tx, id, app.clock().now()).await? {
        return Err(Error::NotFound("application"));
    }
    audit::record(
        &tx,
        Some(actor),
        Audit::new("market_data.application.revoke", "market_data_application", id)
            .details("market-data application key revoked"),
    )
    .await?;
    commit(tx).await?;
    forget_keys(app);
    Ok(())
}

/// Gives a live application a new API key (returned, shown once); the old key stops working
/// at once on this instance, on others within the key cache's lifetime. Audited.
pub async fn rotate_key(app: &App, actor: &Principal, id: &str) -> Result<String> {
    actor.forbid_impersonation("rotate a market-data application key")?;
    actor.require(Permission::ManageMarketData)?;
    let (prefix, key) = new_key();
    let tx = app.db().begin_write().await?;
    let old = repo::find_by_uuid(&tx, id).await?.ok_or(Error::NotFound("application"))?;
    if !repo::set_key(&tx, id, prefix.clone(), token_hash(&key), app.clock().now()).await? {
        return Err(Error::Conflict("a revoked application's key cannot be rotated".into()));
    }
    audit::record(
        &tx,
        Some(actor),
        Audit::new("market_data.application.rotate_key", "market_data_application", id)
            .details(format!(
                "market-data application '{}' key rotated ({KEY_PREFIX}{}_… → {KEY_PREFIX}{prefix}_…)",
                old.name, old.key_prefix
            )),
    )
    .await?;
    commit(tx).await?;
    forget_keys(app);
    Ok(key)
}

/// One application (ReadMarketData).
pub async fn get(app: &App, actor: &Principal, id: &str) -> Result<ApplicationView> {
    actor.require(Permission::ReadMarketData)?;
    let row = repo::find_by_uuid(app.db().conn(), id.trim())
        .await?
        .ok_or(Error::NotFound("application"))?;
    Ok(ApplicationView::from(&row))
}

/// Applications by creation, one page (`limit` at most 500).
pub async fn list(
    app: &App,
    actor: &Principal,
    offset: u64,
    limit: u64,
) -> Result<Vec<ApplicationView>> {
    actor.require(Permission::ReadMarketData)?;
    let offset = brokercrm_core::validate::offset("offset", offset)?;
    let rows = repo::list(app.db().conn(), offset, limit.clamp(1, 500)).await?;
    Ok(rows.iter().map(ApplicationView::from).collect())
}

/// Revokes every live application named `name` (demo refresh); returns how many.
pub async fn revoke_named(app: &App, name: &str) -> Result<usize> {
    let conn = app.db().conn();
    let mut n = 0;
    for row in repo::list(conn, 0, 10_000).await? {
        if row.name == name
            && row.revoked_at.is_none()
            && repo::revoke(conn, &row.uuid, app.clock().now()).await?
        {
            n += 1;
        }
    }
    forget_keys(app);
    Ok(n)
}
