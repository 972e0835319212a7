//! Sessions: log in with e-mail and password, impersonate a customer, refresh and log out.
//!
//! Failed logins are throttled by [`crate::identity::throttle`]: growing waits per (account,
//! client IP), high ceilings per account and per IP; the owner is never locked out from an
//! IP that signed in before. An unknown user and a wrong password give the same answer in
//! about the same time (a missing hash still costs one hash).

use std::net::IpAddr;

use brokercrm_core::identity::auth::{Permission, Role};
use brokercrm_core::onboarding::OnboardingStep;
use brokercrm_core::{Error, Result};
use brokercrm_store::db::{commit, now};
use brokercrm_store::repo::identity::users::{self, UserRow};
use sea_orm::Set;

use crate::identity::security::verify_password;
use crate::identity::throttle::Attempt;
use crate::identity::tokens::{self, IssuedTokens};
use crate::platform::audit::{self, Audit};
use crate::{App, Principal};

/// A successful login.
#[derive(Debug)]
pub struct Session {
    pub user: UserRow,
    pub tokens: IssuedTokens,
    pub outstanding: Vec<OnboardingStep>,
}

fn bad_credentials() -> Error {
    Error::Unauthorized("invalid username or password".into())
}

pub use crate::identity::throttle::account_key;

/// "Create a new session".
pub async fn login(
    app: &App,
    username: &str,
    password: &str,
    ip: Option<IpAddr>,
) -> Result<Session> {
    let username = username.trim().to_lowercase();
    let attempt = Attempt::login(&username, ip);
    attempt.check(app)?;
    let user = if username.is_empty() {
        None
    } else {
        users::find_by_email(app.db().conn(), &username).await?
    };
    let hash = user.as_ref().and_then(|u| u.password_hash.clone());
    let ok = verify_password(app.hasher(), password.to_owned(), hash).await?;
    let Some(user) = user.filter(|_| ok) else {
        attempt.failed(app);
        return Err(bad_credentials());
    };
    if user.status != users::ACTIVE {
        return Err(Error::Unauthorized("the account is disabled".into()));
    }
    attempt.succeeded(app);
    let tx = app.db().begin_write().await?;
    let mut ch = users::changes(user);
    ch.last_login_at = Set(Some(now()));
    let user = users::save(&tx, ch).await?;
    let tokens = tokens::issue(app, &tx, &user, None).await?;
    commit(tx).await?;
    let outstanding = crate::identity::users::outstanding(&user);
    Ok(Session { user, tokens, outstanding })
}

/// "Impersonate a customer": an access token (no refresh token) for the customer, marked
/// with the impersonating staff member's id; audited.
pub async fn impersonate(
    app: &App,
    actor: &Principal,
    customer_id: &str,
) -> Result<(UserRow, String)> {
    actor.require(Permission::ImpersonateCustomer)?;
    if actor.impersonated_by.is_some() {
        return Err(Error::Forbidden);
    }
    let id = customer_id.trim();
    if id.is_empty() {
        return Err(Error::field("customerId", "is required"));
    }
    let tx = app.db().begin_write().await?;
    let target = match id.parse::<i64>() {
        Ok(n) => users::find_by_id(&tx, n).await?,
        Err(_) => users::find_by_uuid(&tx, id).await?,
    }
    .ok_or(Error::NotFound("customer"))?;
    if target.role != Role::Customer.as_str() {
        return Err(Error::field("customerId", "is not a customer"));
    }
    if target.status != users::ACTIVE {
        return Err(Error::field("customerId", "the customer's account is disabled"));
    }
    let token = tokens::access_token(app, &target, Some(actor.user_id))?;
    audit::record(
        &tx,
        Some(actor),
        Audit::new("customer.impersonate", "user", target.uuid.clone())
            .details(format!("{} impersonated customer {}", actor.email, target.email)),
    )
    .await?;
    commit(tx).await?;
    Ok((target, token))
}

/// Exchanges a refresh token for a new pair (rotation; reuse revokes the family).
pub async fn refresh(app: &App, refresh_token: &str) -> Result<IssuedTokens> {
    if refresh_token.trim().is_empty() {
        return Err(Error::field("refreshToken", "is required"));
    }
    tokens::rotate(app, refresh_token.trim(), None).await.map(|(_, t)| t)
}

/// Logs out: revokes the refresh token's family. Unknown tokens are accepted silently.
pub async fn logout(app: &App, refresh_token: &str) -> Result<()> {
    if refresh_token.trim().is_empty() {
        return Err(Error::field("refreshToken", "is required"));
    }
    tokens::revoke(app, refresh_token.trim()).await.map(|_| ())
}
