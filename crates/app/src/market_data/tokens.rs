//! "Request token" by account id or by credentials: a signed token (see `signing`) carrying
//! the account, the QD filters of its active subscriptions and an expiry. The seed answers the
//! application's mistakes with 200 and a reason, which [`TokenOutcome`] names.

use brokercrm_core::Result;
use brokercrm_store::repo::market_data::accounts::{self, AccountRow};
use brokercrm_store::repo::market_data::applications::ApplicationRow;
use brokercrm_store::repo::market_data::subscriptions;

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

/// The token of `account`, or `NoActiveSubscriptions`.
async fn issue(
    app: &App,
    application: &ApplicationRow,
    account: &AccountRow,
) -> Result<TokenOutcome> {
    let now = app.clock().now();
    let rows = subscriptions::active_filters(app.db().conn(), account.id, now).await?;
    if rows.is_empty() {
        return Ok(TokenOutcome::NoActiveSubscriptions);
    }
    let mut filters: Vec<String> = Vec::new();
    for raw in rows {
        let list: Vec<String> =
            serde_json::from_str(&raw).map_err(brokercrm_core::Error::internal)?;
        for f in list {
            if !filters.contains(&f) {
                filters.push(f);
            }
        }
    }
    let claims = MdClaims {
        iss: ISSUER.into(),
        sub: account.uuid.clone(),
        app: application.uuid.clone(),
        filters: filters.clone(),
        iat: now.timestamp(),
        exp: (now + TOKEN_TTL).timestamp(),
    };
    let token = app.market_data().signer(app.db().conn(), app.data_key()).await?.sign(&claims)?;
    Ok(TokenOutcome::Issued { token, details: filters })
}

/// "Request token by account ID".
pub async fn by_account(
    app: &App,
    application: &ApplicationRow,
    uuid: &str,
) -> Result<TokenOutcome> {
    match accounts::find(app.db().conn(), application.id, uuid).await? {
        Some(a) => issue(app, application, &a).await,
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
    let account = accounts::find_by_login(app.db().conn(), application.id, login.trim()).await?;
    let hash = account.as_ref().and_then(|a| a.password_hash.clone());
    if !verify_password(app.hasher(), password.to_owned(), hash).await? {
        return Ok(TokenOutcome::InvalidCredentials);
    }
    match account {
        Some(a) => issue(app, application, &a).await,
        None => Ok(TokenOutcome::InvalidCredentials),
    }
}
