//! Wizard and profile links: a random token (stored hashed) in a URL under `public_url`, one
//! per theme (`LIGHT`, `DARK`) sharing the token, so using either spends both.

use brokercrm_core::Result;
use brokercrm_store::ConnectionTrait;
use brokercrm_store::repo::market_data::links;
use chrono::{DateTime, Duration, Utc};

use crate::App;
use crate::identity::security::{random_token, token_hash};

/// Lifetime of a signup wizard link (and of the order it belongs to).
pub const SIGNUP_TTL: Duration = Duration::days(7);
/// Lifetime of a profile link.
pub const PROFILE_TTL: Duration = Duration::hours(24);
/// Path of the wizard pages.
pub const SIGNUP_PATH: &str = "/market-data/signup";
/// Path of the profile pages.
pub const PROFILE_PATH: &str = "/market-data/profile";

/// The two themed URLs of a link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThemeLinks {
    pub light: String,
    pub dark: String,
}

/// Issues a link of `kind` for the account; returns its URLs.
pub async fn issue<C: ConnectionTrait>(
    conn: &C,
    app: &App,
    account_id: i64,
    order_id: Option<i64>,
    kind: &str,
    expires_at: DateTime<Utc>,
) -> Result<ThemeLinks> {
    let token = random_token(32);
    let now = app.clock().now();
    links::insert(conn, token_hash(&token), account_id, order_id, kind, expires_at, now).await?;
    let path = if kind == links::PROFILE { PROFILE_PATH } else { SIGNUP_PATH };
    let base = format!("{}{path}/{token}", app.cfg().public_url.trim_end_matches('/'));
    Ok(ThemeLinks { light: format!("{base}?theme=LIGHT"), dark: format!("{base}?theme=DARK") })
}
