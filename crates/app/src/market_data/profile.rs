//! "Get profile page": links (LIGHT, DARK) to a read-only page where the user reviews the
//! personal data, status, agreements and subscriptions; they work until they expire.

use std::collections::BTreeMap;

use brokercrm_core::market_data::MdResult;
use brokercrm_core::{Error, Result};
use brokercrm_store::db::commit;
use brokercrm_store::repo::market_data::accounts;
use brokercrm_store::repo::market_data::agreements::{self, AgreementRow};
use brokercrm_store::repo::market_data::applications::ApplicationRow;
use brokercrm_store::repo::market_data::links as link_rows;
use chrono::{DateTime, Utc};

use crate::App;
use crate::identity::security::token_hash;
use crate::market_data::accounts::{account_of, record};
use crate::market_data::links::{self, PROFILE_TTL, ThemeLinks};
use crate::market_data::subscriptions::{SubscriptionView, of_account};

/// Profile links and when they expire.
#[derive(Debug, Clone)]
pub struct ProfileLink {
    pub links: ThemeLinks,
    pub expires_at: DateTime<Utc>,
}

/// What the profile page shows.
#[derive(Debug, Clone)]
pub struct ProfilePage {
    pub email: String,
    pub status: Option<String>,
    pub personal: BTreeMap<String, String>,
    pub agreements: Vec<AgreementRow>,
    pub subscriptions: Vec<SubscriptionView>,
}

pub async fn link(app: &App, application: &ApplicationRow, uuid: &str) -> MdResult<ProfileLink> {
    let tx = app.db().begin_write().await?;
    let account = account_of(&tx, application, uuid).await?;
    let expires_at = app.clock().now() + PROFILE_TTL;
    let links = links::issue(&tx, app, account.id, None, link_rows::PROFILE, expires_at).await?;
    record(&tx, app, account.id, "profile.link", "profile link issued").await?;
    commit(tx).await?;
    Ok(ProfileLink { links, expires_at })
}

/// The page behind a live profile link; `NotFound` when unknown or expired.
pub async fn page(app: &App, token: &str) -> Result<ProfilePage> {
    let conn = app.db().conn();
    let now = app.clock().now();
    let link = link_rows::find_live(conn, &token_hash(token), link_rows::PROFILE, now)
        .await?
        .ok_or(Error::NotFound("link"))?;
    let account =
        accounts::find_by_id(conn, link.account_id).await?.ok_or(Error::NotFound("link"))?;
    let mut personal = BTreeMap::new();
    if let Some(Ok(serde_json::Value::Object(m))) =
        account.personal.as_deref().map(serde_json::from_str)
    {
        for (k, v) in m {
            if let Some(s) = v.as_str() {
                personal.insert(k, s.to_owned());
            }
        }
    }
    Ok(ProfilePage {
        email: account.email.clone(),
        status: account.subscriber_status.clone(),
        personal,
        agreements: agreements::for_account(conn, account.id).await?,
        subscriptions: of_account(app, account.id).await?,
    })
}
