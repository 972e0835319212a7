//! "Get subscriptions": every subscription the account ever had, `ACTIVE` or `EXPIRED` (an end
//! that has passed reads `EXPIRED` even before the expiry job has run), with its end.

use brokercrm_core::market_data::MdResult;
use brokercrm_store::repo::market_data::applications::ApplicationRow;
use brokercrm_store::repo::market_data::{feeds, subscriptions};
use chrono::{DateTime, Utc};

use crate::App;
use crate::market_data::accounts::account_of;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubscriptionView {
    pub name: String,
    pub active: bool,
    pub expires_at: Option<DateTime<Utc>>,
}

/// The subscriptions of the account with database id `account_id`.
pub async fn of_account(
    app: &App,
    account_id: i64,
) -> brokercrm_core::Result<Vec<SubscriptionView>> {
    let conn = app.db().conn();
    let now = app.clock().now();
    let subs = subscriptions::for_account(conn, account_id).await?;
    let ids: Vec<i64> = subs.iter().map(|s| s.feed_id).collect();
    let rows = feeds::find_by_ids(conn, &ids).await?;
    Ok(subs
        .into_iter()
        .map(|s| SubscriptionView {
            name: rows
                .iter()
                .find(|f| f.id == s.feed_id)
                .map(|f| f.name.clone())
                .unwrap_or_default(),
            active: s.status == subscriptions::ACTIVE && s.expires_at.is_none_or(|e| e > now),
            expires_at: s.expires_at,
        })
        .collect())
}

pub async fn list(
    app: &App,
    application: &ApplicationRow,
    uuid: &str,
) -> MdResult<Vec<SubscriptionView>> {
    let account = account_of(app.db().conn(), application, uuid).await?;
    Ok(of_account(app, account.id).await?)
}
