//! The token endpoint (RFC 6749 §3.2, §4.1.3, §6) and logout: client authentication, code
//! exchange with PKCE, refresh rotation bound to the client, family revocation on logout.

use std::net::IpAddr;

use brokercrm_core::Error;
use brokercrm_store::repo::identity::oauth::{self as repo, OAuthClientRow};
use brokercrm_store::repo::identity::{refresh_tokens, users};

use super::protocol::{OAuthError, OAuthErrorCode, is_valid_verifier, s256_challenge};
use crate::App;
use crate::identity::security::{ct_eq, token_hash};
use crate::identity::throttle::Attempt;
use crate::identity::tokens::{self, IssuedTokens};

/// A client's id and secret, from the form or from HTTP Basic.
#[derive(Clone)]
pub struct ClientCredentials {
    pub client_id: String,
    pub client_secret: String,
}

impl std::fmt::Debug for ClientCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientCredentials")
            .field("client_id", &self.client_id)
            .finish_non_exhaustive()
    }
}

/// Parameters of `POST /oauth/token`, as received.
#[derive(Debug, Clone, Default)]
pub struct TokenRequest {
    pub client: Option<ClientCredentials>,
    pub grant_type: Option<String>,
    pub code: Option<String>,
    pub refresh_token: Option<String>,
    pub redirect_uri: Option<String>,
    pub code_verifier: Option<String>,
    /// The caller's IP, for the limits on client-secret guesses.
    pub ip: Option<IpAddr>,
}

/// Authenticates the client, then runs its grant.
pub async fn token(app: &App, req: TokenRequest) -> Result<IssuedTokens, OAuthError> {
    let client = authenticate_client(app, req.client.as_ref(), req.ip).await?;
    match present(&req.grant_type) {
        None => Err(OAuthError::request("grant_type", "is required")),
        Some("authorization_code") => exchange_code(app, &client, &req).await,
        Some("refresh_token") => refresh(app, &client, &req).await,
        Some(_) => Err(OAuthError::new(
            OAuthErrorCode::UnsupportedGrantType,
            "grant_type: must be authorization_code or refresh_token",
        )),
    }
}

/// The client, if it exists, is active and its secret matches (SHA-256, constant time).
/// Wrong secrets are throttled per (client id, IP), per client id and per IP
/// ([`Attempt::client_secret`]): too many → `slow_down` before the secret is checked.
pub(crate) async fn authenticate_client(
    app: &App,
    creds: Option<&ClientCredentials>,
    ip: Option<IpAddr>,
) -> Result<OAuthClientRow, OAuthError> {
    let invalid = || OAuthError::new(OAuthErrorCode::InvalidClient, "client authentication failed");
    let creds = creds.ok_or_else(invalid)?;
    let attempt = Attempt::client_secret(&creds.client_id, ip);
    attempt.check(app)?;
    let presented = token_hash(&creds.client_secret);
    let client = repo::find_client(app.db().conn(), &creds.client_id).await?;
    match client {
        Some(c) if c.revoked_at.is_none() && ct_eq(&c.secret_hash, &presented) => {
            attempt.succeeded(app);
            Ok(c)
        }
        _ => {
            attempt.failed(app);
            Err(invalid())
        }
    }
}

/// RFC 6749 §4.1.3 with RFC 7636 §4.6. A reused code revokes the tokens issued from it.
async fn exchange_code(
    app: &App,
    client: &OAuthClientRow,
    req: &TokenRequest,
) -> Result<IssuedTokens, OAuthError> {
    let code = present(&req.code).ok_or_else(|| OAuthError::request("code", "is required"))?;
    let redirect_uri = present(&req.redirect_uri)
        .ok_or_else(|| OAuthError::request("redirect_uri", "is required"))?;
    let verifier = present(&req.code_verifier)
        .ok_or_else(|| OAuthError::request("code_verifier", "is required"))?;
    if !is_valid_verifier(verifier) {
        return Err(OAuthError::request(
            "code_verifier",
            "must be 43 to 128 unreserved characters",
        ));
    }
    let hash = token_hash(code);
    let tx = app.db().begin_write().await?;
    let row = repo::find_code(&tx, &hash)
        .await?
        .filter(|c| c.client_id == client.client_id)
        .ok_or_else(|| OAuthError::grant("code: unknown, or issued to another client"))?;
    if row.used_at.is_some() {
        let revoked = repo::revoke_tokens_of_code(&tx, &row).await?;
        brokercrm_store::db::commit(tx).await?;
        tracing::warn!(client_id = %client.client_id, revoked, "oauth: authorization code reused");
        return Err(OAuthError::grant("code: has already been used"));
    }
    if row.expires_at < brokercrm_store::db::now() {
        return Err(OAuthError::grant("code: has expired"));
    }
    if row.redirect_uri != redirect_uri {
        return Err(OAuthError::grant("redirect_uri: does not match the authorization request"));
    }
    let challenge = row.code_challenge.as_deref().unwrap_or_default();
    if row.code_challenge_method.as_deref() != Some("S256")
        || !ct_eq(challenge, &s256_challenge(verifier))
    {
        return Err(OAuthError::grant("code_verifier: does not match the code challenge"));
    }
    if !repo::consume_code(&tx, &hash).await? {
        return Err(OAuthError::grant("code: has already been used"));
    }
    let user = users::find_by_id(&tx, row.user_id)
        .await?
        .filter(|u| u.status == users::ACTIVE)
        .ok_or_else(|| OAuthError::grant("code: the user is no longer active"))?;
    let issued = tokens::issue(app, &tx, &user, Some(&client.client_id)).await?;
    brokercrm_store::db::commit(tx).await?;
    Ok(issued)
}

/// RFC 6749 §6: rotates a refresh token issued to this client.
async fn refresh(
    app: &App,
    client: &OAuthClientRow,
    req: &TokenRequest,
) -> Result<IssuedTokens, OAuthError> {
    let token = present(&req.refresh_token)
        .ok_or_else(|| OAuthError::request("refresh_token", "is required"))?;
    match tokens::rotate(app, token, Some(&client.client_id)).await {
        Ok((_, issued)) => Ok(issued),
        Err(Error::Unauthorized(_)) => Err(OAuthError::grant(
            "refresh_token: invalid, expired, revoked or issued to another client",
        )),
        Err(e) => Err(e.into()),
    }
}

/// "Logout and redirect": checks that `redirect_uri` is registered for the client the
/// refresh token was issued to, then revokes the token's family and returns the URI.
/// A bad request changes nothing.
pub async fn logout(
    app: &App,
    refresh_token: &str,
    redirect_uri: &str,
) -> Result<String, OAuthError> {
    if refresh_token.is_empty() {
        return Err(OAuthError::request("refreshToken", "is required"));
    }
    if redirect_uri.is_empty() {
        return Err(OAuthError::request("redirectUri", "is required"));
    }
    let conn = app.db().conn();
    let row = refresh_tokens::find_by_hash(conn, &token_hash(refresh_token))
        .await?
        .ok_or_else(|| OAuthError::grant("refreshToken: unknown token"))?;
    let client_id = row
        .client_id
        .as_deref()
        .ok_or_else(|| OAuthError::request("refreshToken", "was not issued to an OAuth client"))?;
    let registered =
        match repo::find_client(conn, client_id).await?.filter(|c| c.revoked_at.is_none()) {
            Some(c) => repo::redirect_uris(&c)?,
            None => Vec::new(),
        };
    if !registered.iter().any(|u| u == redirect_uri) {
        return Err(OAuthError::request(
            "redirectUri",
            "is not registered for this token's client",
        ));
    }
    refresh_tokens::revoke_family(conn, &row.family).await?;
    Ok(redirect_uri.to_owned())
}

fn present(v: &Option<String>) -> Option<&str> {
    v.as_deref().filter(|s| !s.is_empty())
}
