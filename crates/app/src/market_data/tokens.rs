//! "Request token" by account id or by credentials: a signed token (see `signing`) carrying
//! the account, the QD filters of its active subscriptions and an expiry. The seed answers the
//! application's mistakes with 200 and a reason, which [`TokenOutcome`] names.
//!
//! The hot path writes nothing and reads once: the account with the feeds of its active
//! subscriptions (`subscriptions::entitled`); the feeds' filters come from memory
//! (`MarketData::feed_filters`), the signing key too.

use std::sync::Arc;

use brokercrm_core::{Error, Result};
use brokercrm_store::repo::market_data::applications::ApplicationRow;
use brokercrm_store::repo::market_data::feeds;
use brokercrm_store::repo::market_data::subscriptions::{self, AccountKey, Entitled};

use crate::App;
use crate::identity::security::verify_password;
use crate::market_data::signing::{ISSUER, MdClaims};

/// Lifetime of a market-data token.
pub const TOKEN_TTL: chrono::Duration = chrono::Duration::hours(24);

/// The outcome of a token request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenOutcome {
    Issued { token: String, details: Vec<String> },
    AccountNotFound,
    NoActiveSubscriptions,
    InvalidCredentials,
}

/// The QD filters of `feed_ids`, in order, from the cache (the missing ones read at once).
async fn filters_of(app: &App, feed_ids: &[i64]) -> Result<Vec<Arc<Vec<String>>>> {
    let cache = &app.market_data().feed_filters;
    let missing: Vec<i64> = feed_ids.iter().copied().filter(|id| !cache.contains_key(id)).collect();
    if !missing.is_empty() {
        for row in feeds::find_by_ids(app.db().conn(), &missing).await? {
            let list: Vec<String> =
                serde_json::from_str(&row.qd_filters).map_err(Error::internal)?;
            cache.insert(row.id, Arc::new(list));
        }
    }
    // A feed deleted meanwhile has no subscription left, so it cannot be missing here twice.
    Ok(feed_ids.iter().filter_map(|id| cache.get(id)).collect())
}

/// The token of the entitled account, or `NoActiveSubscriptions`.
async fn issue(app: &App, application: &ApplicationRow, e: &Entitled) -> Result<TokenOutcome> {
    if e.feed_ids.is_empty() {
        return Ok(TokenOutcome::NoActiveSubscriptions);
    }
    let mut filters: Vec<String> = Vec::new();
    for list in filters_of(app, &e.feed_ids).await? {
        for f in list.iter() {
            if !filters.contains(f) {
                filters.push(f.clone());
            }
        }
    }
    let now = app.clock().now();
    let claims = MdClaims {
        iss: ISSUER.into(),
        sub: e.account_uuid.clone(),
        app: application.uuid.clone(),
        filters,
        iat: now.timestamp(),
        exp: (now + TOKEN_TTL).timestamp(),
    };
    let token = app.market_data().signer(app.db().conn(), app.data_key()).await?.sign(&claims)?;
    Ok(TokenOutcome::Issued { token, details: claims.filters })
}

/// "Request token by account ID".
pub async fn by_account(
    app: &App,
    application: &ApplicationRow,
    uuid: &str,
) -> Result<TokenOutcome> {
    let now = app.clock().now();
    match subscriptions::entitled(app.db().conn(), application.id, AccountKey::Uuid(uuid), now)
        .await?
    {
        Some(e) => issue(app, application, &e).await,
        None => Ok(TokenOutcome::AccountNotFound),
    }
}

/// "Request token by credentials". An unknown login still costs one argon2 hash.
pub async fn by_credentials(
    app: &App,
    application: &ApplicationRow,
    login: &str,
    password: &str,
) -> Result<TokenOutcome> {
    let now = app.clock().now();
    let key = AccountKey::Login(login.trim());
    let account = subscriptions::entitled(app.db().conn(), application.id, key, now).await?;
    let hash = account.as_ref().and_then(|a| a.password_hash.clone());
    if !verify_password(app.hasher(), password.to_owned(), hash).await? {
        return Ok(TokenOutcome::InvalidCredentials);
    }
    match account {
        Some(a) => issue(app, application, &a).await,
        None => Ok(TokenOutcome::InvalidCredentials),
    }
}
