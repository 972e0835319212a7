//! Authentication of bearer credentials: JWT access tokens and integration API keys.
//!
//! An access token is accepted while its user is active, has the role and the token
//! generation the token names (a password change or reset, or disabling the account, bumps the
//! generation: every older token fails at once). The user is read through a cache of
//! `auth_cache_ttl`; the use cases that bump the generation drop the entry in this process
//! (`tokens::forget`), other processes see the change within the TTL. An API key is accepted
//! while it is not revoked and, when it has an owner, the owner is active with the key's role.

use std::sync::Arc;

use brokercrm_core::identity::auth::Role;
use brokercrm_core::{Error, Result};
use brokercrm_store::repo::identity::{api_keys, users};

use crate::App;
use crate::identity::principal::{AuthMethod, Principal};
use crate::identity::security::{ct_eq, token_hash};

/// Prefix of every API key, so keys are recognisable in logs and secret scanners.
pub const API_KEY_PREFIX: &str = "bck_";

/// Resolves a bearer token to the principal it stands for.
pub async fn authenticate(app: &App, token: &str) -> Result<Principal> {
    if token.starts_with(API_KEY_PREFIX) {
        return authenticate_api_key(app, token).await;
    }
    let claims = app.jwt().verify(token)?;
    let user = user(app, claims.uid)
        .await?
        // The role claim must be the stored role: a lead-provider token (role claim
        // `lead_provider`) is not a CRM token, and a role change ends old tokens.
        .filter(|u| {
            u.uuid == claims.sub
                && u.status == users::ACTIVE
                && u.role == claims.role
                && u.token_generation == claims.generation
        })
        .ok_or_else(|| Error::Unauthorized("invalid or expired token".into()))?;
    principal_of(&user, AuthMethod::Session, claims.imp)
}

/// The user `id` as read within `auth_cache_ttl` (not remembered when missing, so a user
/// created meanwhile is found at once).
async fn user(app: &App, id: i64) -> Result<Option<Arc<users::UserRow>>> {
    let remember = !app.cfg().auth_cache_ttl.is_zero();
    if remember && let Some(u) = app.auth_users().get(&id) {
        return Ok(Some(u));
    }
    let Some(u) = users::find_by_id(app.db().conn(), id).await? else { return Ok(None) };
    let u = Arc::new(u);
    if remember {
        app.auth_users().insert(id, u.clone());
    }
    Ok(Some(u))
}

/// Builds a principal from a stored user.
pub fn principal_of(
    user: &users::UserRow,
    method: AuthMethod,
    impersonated_by: Option<i64>,
) -> Result<Principal> {
    Ok(Principal {
        user_id: user.id,
        user_uuid: user.uuid.clone(),
        email: user.email.clone(),
        role: user.role.parse::<Role>().map_err(|_| Error::internal("stored role is invalid"))?,
        method,
        impersonated_by,
    })
}

/// `bck_<prefix>_<secret>`: the prefix finds the row, the hash of the whole key must match.
async fn authenticate_api_key(app: &App, token: &str) -> Result<Principal> {
    let unauthorized = || Error::Unauthorized("invalid API key".into());
    let rest = token.strip_prefix(API_KEY_PREFIX).ok_or_else(unauthorized)?;
    let (prefix, _) = rest.split_once('_').ok_or_else(unauthorized)?;
    let conn = app.db().conn();
    let key = api_keys::find_by_prefix(conn, prefix)
        .await?
        .filter(|k| k.revoked_at.is_none())
        .ok_or_else(unauthorized)?;
    if !ct_eq(&key.key_hash, &token_hash(token)) {
        return Err(unauthorized());
    }
    let role = key.role.parse::<Role>().map_err(|_| Error::internal("stored role is invalid"))?;
    // A key with an owner lives only as long as the owner is active in the key's role: a
    // disabled, deleted or re-roled owner's key is refused, never served as an owner-less key.
    let owner = match key.owner_user_id {
        Some(id) => Some(
            users::find_by_id(conn, id)
                .await?
                .filter(|u| u.status == users::ACTIVE && u.role == key.role)
                .ok_or_else(|| Error::Unauthorized("the API key's owner is not active".into()))?,
        ),
        None => None,
    };
    // Record use at most once a minute: a write per request would serialise API-key traffic.
    let stale = key
        .last_used_at
        .is_none_or(|t| brokercrm_store::db::now() - t > chrono::Duration::minutes(1));
    if stale {
        api_keys::touch(conn, key.id).await?;
    }
    Ok(Principal {
        user_id: owner.as_ref().map(|u| u.id).unwrap_or(0),
        user_uuid: owner.as_ref().map(|u| u.uuid.clone()).unwrap_or_default(),
        email: owner.map(|u| u.email).unwrap_or_else(|| format!("api-key:{}", key.name)),
        role,
        method: AuthMethod::ApiKey,
        impersonated_by: None,
    })
}
