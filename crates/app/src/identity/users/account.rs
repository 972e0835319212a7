//! "Accept deposit disclaimer", "Request to disable account" and "Get user's country by IP".
//!
//! Disabling is a request for the back office: it stamps `termination_requested_at` (kept at
//! the first request), revokes every refresh token so all sessions end when their access
//! token expires, and is audited. The account stays usable until staff process the request.

use std::net::IpAddr;

use brokercrm_core::Result;
use brokercrm_store::db::{commit, now};
use brokercrm_store::repo::identity::users;
use sea_orm::Set;

use crate::identity::users::current_user_in;
use crate::platform::audit::{self, Audit};
use crate::{App, Principal, identity::tokens};

/// `countryCode` answered when an IP cannot be located.
pub const UNKNOWN_COUNTRY: &str = "unknown";

/// ISO 3166-1 alpha-2 country of a public IP, when the GeoIP database knows it.
pub fn country_of(app: &App, ip: IpAddr) -> Option<String> {
    app.services().geoip.country(ip).map(|c| c.to_ascii_uppercase())
}

/// Stamps the acceptance of the deposit disclaimer (idempotent: the first time is kept).
pub async fn accept_disclaimer(app: &App, who: &Principal) -> Result<()> {
    let tx = app.db().begin_write().await?;
    let user = current_user_in(&tx, who).await?;
    if user.disclaimer_accepted_at.is_none() {
        let mut ch = users::changes(user);
        ch.disclaimer_accepted_at = Set(Some(now()));
        users::save(&tx, ch).await?;
    }
    commit(tx).await
}

/// Records the request to disable the account and ends the user's sessions.
pub async fn request_disable(app: &App, who: &Principal) -> Result<()> {
    let tx = app.db().begin_write().await?;
    let user = current_user_in(&tx, who).await?;
    let uuid = user.uuid.clone();
    let email = user.email.clone();
    if user.termination_requested_at.is_none() {
        let mut ch = users::changes(user);
        ch.termination_requested_at = Set(Some(now()));
        users::save(&tx, ch).await?;
    }
    tokens::revoke_all(&tx, who.user_id).await?;
    audit::record(
        &tx,
        Some(who),
        Audit::new("user.disable_request", "user", uuid)
            .details(format!("{email} requested to disable the account")),
    )
    .await?;
    commit(tx).await
}
