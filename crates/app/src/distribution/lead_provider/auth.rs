//! Lead-provider tokens (seed 000 "Generating token OAuth"): the OAuth2 password grant with
//! HTTP Basic client authentication, the refresh-token grant, and verification of the bearer
//! token on the other lead-provider endpoints.
//!
//! Only active users with role `affiliate` get a token; their numeric user id is the seed's
//! `partnerId`. Failed attempts share the login throttle of `POST /api/sessions`
//! (`identity::throttle`: per account and IP, per account, per IP) under the same keys, so
//! the two doors together give no extra guesses; wrong client secrets are throttled like the
//! CRM token endpoint's. Refresh tokens are
//! stored hashed and rotate on every use (reuse revokes the family), like the CRM's.

use std::net::IpAddr;

use brokercrm_core::identity::auth::Role;
use brokercrm_core::{Error, Result};
use brokercrm_store::ConnectionTrait;
use brokercrm_store::db::{commit, now};
use brokercrm_store::repo::identity::oauth::OAuthClientRow;
use brokercrm_store::repo::identity::refresh_tokens;
use brokercrm_store::repo::identity::users::{self, UserRow};

use crate::App;
use crate::identity::oauth::{ClientCredentials, OAuthErrorCode};
use crate::identity::security::{Claims, random_token, token_hash, verify_password};
use crate::identity::throttle::Attempt;

/// The `role` claim of a lead-provider access token. The CRM API only accepts tokens whose
/// role claim is the user's stored role, so a lead-provider token is refused there.
pub const TOKEN_ROLE: &str = "lead_provider";

/// Prefix of the `client_id` stored with a lead-provider refresh token, so the CRM's
/// `/oauth/token` refresh grant (which matches the bare client id) never accepts it.
pub const REFRESH_CLIENT_PREFIX: &str = "lp:";

/// Parameters of `POST /proxy/auth/oauth/token`, as received.
#[derive(Debug, Clone, Default)]
pub struct GrantRequest {
    /// From `Authorization: Basic` (or the form's `client_id` + `client_secret`).
    pub client: Option<ClientCredentials>,
    pub grant_type: Option<String>,
    pub username: Option<String>,
    pub password: Option<String>,
    pub refresh_token: Option<String>,
    /// The caller's IP, for the per-IP limit.
    pub ip: Option<IpAddr>,
}

/// What a successful grant hands back (the seed's token response).
#[derive(Debug, Clone)]
pub struct ProviderTokens {
    pub access_token: String,
    pub refresh_token: String,
    /// Access token lifetime in seconds.
    pub expires_in: u64,
    /// The provider's user UUID (`account_uuid`, `manager_scope`).
    pub account_uuid: String,
    /// The provider's numeric user id (`partnerId`).
    pub partner_id: i64,
    pub email: String,
    /// Identifier of this issuance.
    pub jti: String,
}

/// Why a grant failed; each maps to one RFC 6749 error body.
#[derive(Debug)]
pub enum GrantError {
    /// Unknown client, wrong secret, wrong username or password, or not an active affiliate:
    /// the seed's 401 `{"error":"unauthorized","error_description":"Authentication error"}`.
    Unauthorized,
    /// `grant_type` missing or neither `password` nor `refresh_token`.
    UnsupportedGrantType,
    /// A required parameter is missing; the text names it.
    InvalidRequest(String),
    /// The refresh token is unknown, spent, expired, revoked or another client's.
    InvalidGrant(String),
    /// Too many failed attempts; retry after this many seconds.
    RateLimited(u64),
    /// Infrastructure failure (logged, never shown).
    Internal(Error),
}

impl From<Error> for GrantError {
    fn from(e: Error) -> Self {
        match e {
            Error::RateLimited { retry_after_secs } => Self::RateLimited(retry_after_secs),
            Error::Unauthorized(_) => Self::Unauthorized,
            other => Self::Internal(other),
        }
    }
}

/// The lead provider a bearer token stands for.
#[derive(Debug, Clone)]
pub struct Provider {
    /// Numeric user id: the seed's `partnerId`, and the leads' `affiliate_id`.
    pub partner_id: i64,
    pub user_uuid: String,
    pub email: String,
}

/// Authenticates the client (its wrong secrets are throttled like the CRM's token endpoint),
/// then runs the grant.
pub async fn grant(app: &App, req: GrantRequest) -> Result<ProviderTokens, GrantError> {
    let client =
        match crate::identity::oauth::authenticate_client(app, req.client.as_ref(), req.ip).await {
            Ok(c) => c,
            Err(e) if e.code == OAuthErrorCode::ServerError => {
                return Err(GrantError::Internal(Error::internal(e.description)));
            }
            Err(e) if e.code == OAuthErrorCode::SlowDown => {
                return Err(GrantError::RateLimited(e.retry_after.unwrap_or(1)));
            }
            Err(_) => return Err(GrantError::Unauthorized),
        };
    match present(&req.grant_type) {
        Some("password") => password_grant(app, &client, &req).await,
        Some("refresh_token") => refresh_grant(app, &client, &req).await,
        _ => Err(GrantError::UnsupportedGrantType),
    }
}

/// RFC 6749 §4.3: the resource owner's e-mail and password.
async fn password_grant(
    app: &App,
    client: &OAuthClientRow,
    req: &GrantRequest,
) -> Result<ProviderTokens, GrantError> {
    let username = present(&req.username)
        .map(|u| u.trim().to_lowercase())
        .ok_or_else(|| GrantError::InvalidRequest("username: is required".into()))?;
    let password = present(&req.password)
        .ok_or_else(|| GrantError::InvalidRequest("password: is required".into()))?;
    let attempt = Attempt::login(&username, req.ip);
    attempt.check(app)?;
    let user = users::find_by_email(app.db().conn(), &username).await?;
    let hash = user.as_ref().and_then(|u| u.password_hash.clone());
    let ok = verify_password(app.hasher(), password.to_owned(), hash).await?;
    let Some(user) = user.filter(|_| ok) else {
        attempt.failed(app);
        return Err(GrantError::Unauthorized);
    };
    attempt.succeeded(app);
    if !is_provider(&user) {
        return Err(GrantError::Unauthorized);
    }
    let tx = app.db().begin_write().await?;
    let family = uuid::Uuid::now_v7().to_string();
    let tokens = issue(app, &tx, &user, client, &family).await?;
    commit(tx).await?;
    Ok(tokens)
}

/// RFC 6749 §6: rotates a lead-provider refresh token issued to this client.
async fn refresh_grant(
    app: &App,
    client: &OAuthClientRow,
    req: &GrantRequest,
) -> Result<ProviderTokens, GrantError> {
    let token = present(&req.refresh_token)
        .ok_or_else(|| GrantError::InvalidRequest("refresh_token: is required".into()))?;
    let invalid = || GrantError::InvalidGrant("refresh_token: invalid, expired or revoked".into());
    let bound = bound_client(client);
    let tx = app.db().begin_write().await?;
    let row = refresh_tokens::find_by_hash(&tx, &token_hash(token))
        .await?
        .filter(|r| r.client_id.as_deref() == Some(bound.as_str()))
        .ok_or_else(invalid)?;
    if row.used_at.is_some() || row.revoked_at.is_some() {
        refresh_tokens::revoke_family(&tx, &row.family).await?;
        commit(tx).await?;
        tracing::warn!(user_id = row.user_id, "lead provider: refresh token reuse, family revoked");
        return Err(invalid());
    }
    if row.expires_at < now() || !refresh_tokens::mark_used(&tx, row.id).await? {
        return Err(invalid());
    }
    let user =
        users::find_by_id(&tx, row.user_id).await?.filter(is_provider).ok_or_else(invalid)?;
    let tokens = issue(app, &tx, &user, client, &row.family).await?;
    commit(tx).await?;
    Ok(tokens)
}

/// An active affiliate: the only users that may act as lead providers.
fn is_provider(user: &UserRow) -> bool {
    user.status == users::ACTIVE && user.role == Role::Affiliate.as_str()
}

/// The `client_id` stored with a lead-provider refresh token.
fn bound_client(client: &OAuthClientRow) -> String {
    format!("{REFRESH_CLIENT_PREFIX}{}", client.client_id)
}

/// A signed lead-provider access token for `user`, its lifetime in seconds and its id
/// (`jti`, inside the token and in the response).
pub fn access_token(app: &App, user: &UserRow) -> Result<(String, u64, String)> {
    let ttl = app.cfg().lead_provider_token_ttl.as_secs();
    let iat = chrono::Utc::now().timestamp();
    let jti = uuid::Uuid::new_v4().to_string();
    let token = app.jwt().sign(&Claims {
        jti: Some(jti.clone()),
        sub: user.uuid.clone(),
        uid: user.id,
        role: TOKEN_ROLE.to_owned(),
        exp: iat.saturating_add(i64::try_from(ttl).unwrap_or(3600)),
        iat,
        imp: None,
        generation: user.token_generation,
    })?;
    Ok((token, ttl, jti))
}

async fn issue<C: ConnectionTrait>(
    app: &App,
    conn: &C,
    user: &UserRow,
    client: &OAuthClientRow,
    family: &str,
) -> Result<ProviderTokens> {
    let (access_token, expires_in, jti) = access_token(app, user)?;
    let refresh_token = random_token(32);
    let ttl = chrono::Duration::from_std(app.cfg().refresh_token_ttl)
        .unwrap_or(chrono::Duration::days(30));
    refresh_tokens::insert(
        conn,
        user.id,
        &token_hash(&refresh_token),
        family,
        Some(&bound_client(client)),
        now() + ttl,
    )
    .await?;
    Ok(ProviderTokens {
        access_token,
        refresh_token,
        expires_in,
        account_uuid: user.uuid.clone(),
        partner_id: user.id,
        email: user.email.clone(),
        jti,
    })
}

/// The provider behind a bearer token: a valid, unexpired lead-provider token (not a CRM
/// one) of a user who is still an active affiliate. `Unauthorized` otherwise.
pub async fn verify(app: &App, token: &str) -> Result<Provider> {
    let unauthorized = || Error::Unauthorized("invalid or expired token".into());
    let claims = app.jwt().verify(token)?;
    if claims.role != TOKEN_ROLE || claims.imp.is_some() {
        return Err(unauthorized());
    }
    let user = users::find_by_id(app.db().conn(), claims.uid)
        .await?
        .filter(|u| {
            u.uuid == claims.sub && u.token_generation == claims.generation && is_provider(u)
        })
        .ok_or_else(unauthorized)?;
    Ok(Provider { partner_id: user.id, user_uuid: user.uuid, email: user.email })
}

fn present(v: &Option<String>) -> Option<&str> {
    v.as_deref().filter(|s| !s.is_empty())
}
