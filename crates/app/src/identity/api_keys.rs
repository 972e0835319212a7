//! Integration API keys (the seed's BearerAuthApiKey): created by admins, shown once, stored
//! hashed, scoped to a role and an owner, revocable.

use std::collections::HashMap;

use brokercrm_core::identity::auth::{Permission, Role};
use brokercrm_core::validate::text;
use brokercrm_core::{Error, Result};
use brokercrm_store::ConnectionTrait;
use brokercrm_store::repo::identity::api_keys::{self, ApiKeyRow, NewApiKey};
use brokercrm_store::repo::identity::users;

use crate::identity::auth::API_KEY_PREFIX;
use crate::identity::security::{random_token, token_hash};
use crate::platform::audit::{self, Audit};
use crate::{App, Principal};

/// A created key: `secret` is shown once and never stored.
#[derive(Debug)]
pub struct CreatedKey {
    pub row: ApiKeyRow,
    /// Public id (UUID) of the owner, if any.
    pub owner_uuid: Option<String>,
    pub secret: String,
}

/// A key as listed: never its secret, the owner by public id.
#[derive(Debug)]
pub struct KeyView {
    pub row: ApiKeyRow,
    pub owner_uuid: Option<String>,
}

impl KeyView {
    /// What identifies the key in logs without revealing it: `bck_<prefix>_…`.
    pub fn display_prefix(&self) -> String {
        format!("{API_KEY_PREFIX}{}_", self.row.prefix)
    }
}

/// Creates a key without a permission check (CLI, demo). Prefer [`create`] from handlers.
pub async fn create_key(
    app: &App,
    name: &str,
    role: Role,
    owner_user_id: Option<i64>,
    created_by: Option<i64>,
) -> Result<CreatedKey> {
    let owner = match owner_user_id {
        Some(id) => Some(
            users::find_by_id(app.db().conn(), id)
                .await?
                .ok_or_else(|| Error::field("ownerId", "unknown user"))?,
        ),
        None => None,
    };
    insert_key(app.db().conn(), name, role, owner.as_ref(), created_by).await
}

/// Validates and stores a key for `owner` on `conn`.
async fn insert_key<C: ConnectionTrait>(
    conn: &C,
    name: &str,
    role: Role,
    owner: Option<&users::UserRow>,
    created_by: Option<i64>,
) -> Result<CreatedKey> {
    let name = text("name", name, 100)?;
    if role == Role::Admin {
        return Err(Error::field("role", "API keys cannot carry the admin role"));
    }
    match owner {
        Some(u) if u.role != role.as_str() => {
            return Err(Error::field("role", "must match the owner's role"));
        }
        Some(u) if u.status != users::ACTIVE => {
            return Err(Error::field("ownerId", "user is not active"));
        }
        None if !role.is_staff() => {
            return Err(Error::field("ownerId", "is required for affiliate and customer keys"));
        }
        _ => {}
    }
    let prefix = random_token(6).replace(['-', '_'], "x");
    let secret = format!("{API_KEY_PREFIX}{prefix}_{}", random_token(32));
    let row = api_keys::insert(
        conn,
        NewApiKey {
            uuid: uuid::Uuid::now_v7().to_string(),
            name,
            prefix,
            key_hash: token_hash(&secret),
            role: role.as_str().into(),
            owner_user_id: owner.map(|u| u.id),
            created_by,
        },
    )
    .await?;
    Ok(CreatedKey { row, owner_uuid: owner.map(|u| u.uuid.clone()), secret })
}

/// Creates a key on behalf of an admin; `role` is the role's name, `owner` the owner's
/// public id. Audited in the
/// same transaction.
pub async fn create(
    app: &App,
    actor: &Principal,
    name: &str,
    role: &str,
    owner: Option<&str>,
) -> Result<CreatedKey> {
    actor.forbid_impersonation("create an API key")?;
    actor.require(Permission::ManageApiKeys)?;
    let role = role.trim().parse::<Role>()?;
    let tx = app.db().begin_write().await?;
    let owner = match owner.filter(|s| !s.trim().is_empty()) {
        Some(uuid) => Some(
            users::find_by_uuid(&tx, uuid.trim())
                .await?
                .ok_or_else(|| Error::field("ownerId", "unknown user"))?,
        ),
        None => None,
    };
    let key = insert_key(&tx, name, role, owner.as_ref(), Some(actor.user_id)).await?;
    audit::record(
        &tx,
        Some(actor),
        Audit::new("api_key.create", "api_key", key.row.uuid.clone())
            .details(format!("API key '{}' created for role {}", key.row.name, key.row.role)),
    )
    .await?;
    brokercrm_store::db::commit(tx).await?;
    Ok(key)
}

/// Keys, newest first (never their secrets); `limit` at most 500.
pub async fn list(app: &App, actor: &Principal, offset: u64, limit: u64) -> Result<Vec<KeyView>> {
    actor.require(Permission::ManageApiKeys)?;
    let offset = brokercrm_core::validate::offset("offset", offset)?;
    let conn = app.db().conn();
    let rows = api_keys::list(conn, offset, limit.clamp(1, 500)).await?;
    let mut owners: HashMap<i64, Option<String>> = HashMap::new();
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let owner_uuid = match row.owner_user_id {
            Some(id) => match owners.get(&id) {
                Some(u) => u.clone(),
                None => {
                    let u = users::find_by_id(conn, id).await?.map(|u| u.uuid);
                    owners.insert(id, u.clone());
                    u
                }
            },
            None => None,
        };
        out.push(KeyView { row, owner_uuid });
    }
    Ok(out)
}

/// Revokes a key by its public id; audited.
pub async fn revoke(app: &App, actor: &Principal, uuid: &str) -> Result<()> {
    actor.require(Permission::ManageApiKeys)?;
    let tx = app.db().begin_write().await?;
    if !api_keys::revoke(&tx, uuid).await? {
        return Err(Error::NotFound("api key"));
    }
    audit::record(
        &tx,
        Some(actor),
        Audit::new("api_key.revoke", "api_key", uuid).details("API key revoked"),
    )
    .await?;
    brokercrm_store::db::commit(tx).await
}

/// Revokes every active key named `name` (demo refresh).
pub async fn revoke_by_name(app: &App, name: &str) -> Result<()> {
    api_keys::revoke_by_name(app.db().conn(), name).await.map(|_| ())
}
