//! The authorization endpoint (RFC 6749 §4.1.1): the logged-in user authorizes a registered
//! client, which gets a short-lived, single-use code bound to its PKCE challenge.

use brokercrm_store::repo::identity::oauth::{self as repo, NewCode};
use url::Url;

use super::protocol::{CODE_TTL_SECS, OAuthError, OAuthErrorCode, is_valid_s256_challenge};
use crate::identity::principal::AuthMethod;
use crate::identity::security::{random_token, token_hash};
use crate::{App, Principal};

/// Query parameters of `GET /oauth/authorize`, as received.
#[derive(Debug, Clone, Default)]
pub struct AuthorizeRequest {
    pub client_id: Option<String>,
    pub redirect_uri: Option<String>,
    pub response_type: Option<String>,
    pub scope: Option<String>,
    pub state: Option<String>,
    pub code_challenge: Option<String>,
    pub code_challenge_method: Option<String>,
}

/// What the endpoint answers.
#[derive(Debug, Clone)]
pub enum AuthorizeOutcome {
    /// 302 to this URL: the client's registered redirect URI with `code` or `error`.
    Redirect(String),
    /// The client or redirect URI cannot be trusted: answer directly, never redirect.
    Reject(OAuthError),
}

/// Runs the authorization request for `user` (the bearer of a session token, if any).
pub async fn authorize(
    app: &App,
    user: Option<&Principal>,
    req: AuthorizeRequest,
) -> AuthorizeOutcome {
    let redirect = match trusted_redirect(app, &req).await {
        Ok(url) => url,
        Err(e) => return AuthorizeOutcome::Reject(e),
    };
    let state = req.state.as_deref();
    match issue_code(app, user, &req).await {
        Ok(code) => AuthorizeOutcome::Redirect(with_params(
            redirect,
            &[("code", Some(&code)), ("state", state)],
        )),
        Err(e) => AuthorizeOutcome::Redirect(with_params(
            redirect,
            &[
                ("error", Some(e.code.as_str())),
                ("error_description", Some(&e.description)),
                ("state", state),
            ],
        )),
    }
}

/// The redirect URI, only once the client is known and active and the URI is exactly one of
/// its registered ones (RFC 6749 §3.1.2.3, §4.1.2.1: otherwise the user agent must not be
/// redirected).
async fn trusted_redirect(app: &App, req: &AuthorizeRequest) -> Result<Url, OAuthError> {
    let client_id = present(req.client_id.as_deref())
        .ok_or_else(|| OAuthError::request("client_id", "is required"))?;
    let redirect_uri = present(req.redirect_uri.as_deref())
        .ok_or_else(|| OAuthError::request("redirect_uri", "is required"))?;
    let client = repo::find_client(app.db().conn(), client_id)
        .await?
        .filter(|c| c.revoked_at.is_none())
        .ok_or_else(|| {
            OAuthError::new(OAuthErrorCode::InvalidClient, "client_id: unknown or revoked client")
        })?;
    if !repo::redirect_uris(&client)?.iter().any(|u| u == redirect_uri) {
        return Err(OAuthError::request("redirect_uri", "is not registered for this client"));
    }
    Url::parse(redirect_uri).map_err(|_| OAuthError::request("redirect_uri", "is not a valid URL"))
}

/// Checks the rest of the request and stores a new code; errors here are redirected.
async fn issue_code(
    app: &App,
    user: Option<&Principal>,
    req: &AuthorizeRequest,
) -> Result<String, OAuthError> {
    match present(req.response_type.as_deref()) {
        None => return Err(OAuthError::request("response_type", "is required")),
        Some("code") => {}
        Some(_) => {
            return Err(OAuthError::new(
                OAuthErrorCode::UnsupportedResponseType,
                "response_type: only 'code' is supported",
            ));
        }
    }
    if req.state.as_deref().is_some_and(|s| s.len() > 1024) {
        return Err(OAuthError::request("state", "must be at most 1024 characters"));
    }
    let challenge = present(req.code_challenge.as_deref())
        .ok_or_else(|| OAuthError::request("code_challenge", "is required (PKCE, RFC 7636)"))?;
    if req.code_challenge_method.as_deref() != Some("S256") {
        return Err(OAuthError::request("code_challenge_method", "must be S256"));
    }
    if !is_valid_s256_challenge(challenge) {
        return Err(OAuthError::request(
            "code_challenge",
            "must be the unpadded base64url SHA-256 of the verifier",
        ));
    }
    let scope = present(req.scope.as_deref());
    if scope.is_some_and(|s| !is_valid_scope(s)) {
        return Err(OAuthError::new(OAuthErrorCode::InvalidScope, "scope: is malformed"));
    }
    let user = user.ok_or_else(|| {
        OAuthError::new(OAuthErrorCode::LoginRequired, "the user is not logged in")
    })?;
    if user.method != AuthMethod::Session || user.impersonated_by.is_some() {
        return Err(OAuthError::new(
            OAuthErrorCode::AccessDenied,
            "only the user's own session can authorize a client",
        ));
    }
    let code = random_token(32);
    let now = brokercrm_store::db::now();
    repo::insert_code(
        app.db().conn(),
        NewCode {
            code_hash: token_hash(&code),
            client_id: req.client_id.clone().unwrap_or_default(),
            user_id: user.user_id,
            redirect_uri: req.redirect_uri.clone().unwrap_or_default(),
            code_challenge: challenge.to_owned(),
            code_challenge_method: "S256".into(),
            scope: scope.map(str::to_owned),
            expires_at: now + chrono::Duration::seconds(CODE_TTL_SECS),
        },
    )
    .await?;
    if rand::random_range(0..100u32) == 0 {
        // Housekeeping: spent and expired codes are useless after a while.
        if let Err(e) =
            repo::delete_expired_codes(app.db().conn(), now - chrono::Duration::hours(1)).await
        {
            tracing::warn!(error = ?e, "oauth: could not purge expired codes");
        }
    }
    Ok(code)
}

/// RFC 6749 §3.3: space-separated tokens of `%x21 / %x23-5B / %x5D-7E`, at most 256 bytes.
fn is_valid_scope(s: &str) -> bool {
    s.len() <= 256
        && s.bytes().all(|b| {
            b == b' ' || b == 0x21 || (0x23..=0x5b).contains(&b) || (0x5d..=0x7e).contains(&b)
        })
}

fn present(v: Option<&str>) -> Option<&str> {
    v.filter(|s| !s.is_empty())
}

/// `url` with the given query parameters appended (its own query is kept).
fn with_params(mut url: Url, params: &[(&str, Option<&str>)]) -> String {
    {
        let mut q = url.query_pairs_mut();
        for (k, v) in params {
            if let Some(v) = v {
                q.append_pair(k, v);
            }
        }
    }
    url.into()
}
