//! Completing an order once the user has signed and the application has confirmed (when it
//! must), in whichever order they came: each feed is activated (with the end date asked for in
//! v2, else the feed's default duration, else none) and credentials are generated when the
//! application's rules say so.

use brokercrm_core::Result;
use brokercrm_store::ConnectionTrait;
use brokercrm_store::repo::market_data::accounts::AccountRow;
use brokercrm_store::repo::market_data::applications::ApplicationRow;
use brokercrm_store::repo::market_data::orders::{self, OrderRow};
use brokercrm_store::repo::market_data::{feeds, subscriptions};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::App;
use crate::market_data::accounts::record;
use crate::market_data::credentials;

/// One feed of an order, as stored on the order.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct OrderItem {
    pub feed_id: i64,
    pub name: String,
    /// The v2 `endDate`, normalised to UTC.
    pub end_date: Option<DateTime<Utc>>,
}

/// The items of an order.
pub fn items_of(order: &OrderRow) -> Result<Vec<OrderItem>> {
    serde_json::from_str(&order.items).map_err(brokercrm_core::Error::internal)
}

/// True when nothing but the completion is left: signed, and confirmed if it must be.
pub fn ready(order: &OrderRow) -> bool {
    order.signed_at.is_some() && (!order.needs_confirmation || order.confirmed_at.is_some())
}

/// Completes the pending `order` of `account` (once: a concurrent completion is a no-op).
pub async fn complete<C: ConnectionTrait>(
    conn: &C,
    app: &App,
    application: &ApplicationRow,
    account: &AccountRow,
    order: &OrderRow,
) -> Result<()> {
    let now = app.clock().now();
    if !orders::complete(conn, order.id, now).await? {
        return Ok(());
    }
    let items = items_of(order)?;
    let ids: Vec<i64> = items.iter().map(|i| i.feed_id).collect();
    let feed_rows = feeds::find_by_ids(conn, &ids).await?;
    let existing = subscriptions::for_account(conn, account.id).await?;
    for item in &items {
        let default = feed_rows
            .iter()
            .find(|f| f.id == item.feed_id)
            .and_then(|f| f.default_days)
            .map(|d| now + chrono::Duration::days(i64::from(d)));
        let ends = item.end_date.or(default);
        let prior = existing.iter().find(|s| s.feed_id == item.feed_id).cloned();
        subscriptions::activate(conn, prior, account.id, item.feed_id, ends, now).await?;
        let until = ends.map(|e| format!(" until {}", e.to_rfc3339())).unwrap_or_default();
        record(conn, app, account.id, "subscription.activated", format!("{}{until}", item.name))
            .await?;
    }
    if application.credentials_enabled && account.login.is_none() {
        credentials::issue(conn, app, application, account).await?;
    }
    Ok(())
}
