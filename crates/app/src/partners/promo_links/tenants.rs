//! Tenants of the promotion-link API: staff issue one (ManageCommissions; the token is shown
//! once and stored as its SHA-256), and each call is authenticated by `x-api-tenantId` +
//! `x-api-token` (constant-time comparison).

use brokercrm_core::Result;
use brokercrm_core::identity::auth::Permission;
use brokercrm_core::validate::text;
use brokercrm_store::db::commit;
use brokercrm_store::repo::partners::promo_links::{self as repo, TenantRow};

use crate::identity::security::{ct_eq, random_token, token_hash};
use crate::platform::audit::{self, Audit};
use crate::{App, Principal};

/// A tenant just issued: its id (the `x-api-tenantId`) and its token (shown once).
#[derive(Debug, Clone)]
pub struct IssuedTenant {
    pub tenant_id: String,
    pub name: String,
    pub token: String,
}

/// Issues a tenant named `name`. Audited.
pub async fn issue(app: &App, actor: &Principal, name: &str) -> Result<IssuedTenant> {
    actor.require(Permission::ManageCommissions)?;
    let name = text("name", name, 100)?;
    let token = random_token(32);
    let tx = app.db().begin_write().await?;
    let row = repo::insert_tenant(&tx, &name, &token_hash(&token)).await?;
    audit::record(
        &tx,
        Some(actor),
        Audit::new("promo_tenant.issue", "promo_tenant", row.id.to_string())
            .details(format!("promotion-link tenant '{name}' issued")),
    )
    .await?;
    commit(tx).await?;
    Ok(IssuedTenant { tenant_id: row.id.to_string(), name, token })
}

/// Issues a tenant without a caller (the `demo` command and tests' fixtures).
pub async fn issue_system(app: &App, name: &str) -> Result<IssuedTenant> {
    let token = random_token(32);
    let row = repo::insert_tenant(app.db().conn(), name, &token_hash(&token)).await?;
    Ok(IssuedTenant { tenant_id: row.id.to_string(), name: name.to_owned(), token })
}

/// Why a call was refused (seed 004's codes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TenantRefusal {
    /// `BW_API_0000001`: no token.
    EmptyToken,
    /// `BW_API_0000003`: the tenant id is missing or unknown.
    InvalidId,
    /// `BW_API_0000004`: the token is not the tenant's, or the tenant is disabled.
    NoPermission,
}

/// The tenant `tenant_id` if `token` is its token.
pub async fn authenticate(
    app: &App,
    tenant_id: Option<&str>,
    token: Option<&str>,
) -> Result<std::result::Result<TenantRow, TenantRefusal>> {
    let Some(token) = token.map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(Err(TenantRefusal::EmptyToken));
    };
    let Some(id) = tenant_id.and_then(|t| t.trim().parse::<i64>().ok()) else {
        return Ok(Err(TenantRefusal::InvalidId));
    };
    let Some(row) = repo::find_tenant(app.db().conn(), id).await? else {
        return Ok(Err(TenantRefusal::InvalidId));
    };
    if !row.enabled || !ct_eq(&token_hash(token), &row.token_hash) {
        return Ok(Err(TenantRefusal::NoPermission));
    }
    Ok(Ok(row))
}
