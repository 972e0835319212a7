//! "Cancel subscription": by feed names, as the application's rule says: `IMMEDIATE` ends the
//! subscription now (`EXPIRED`); `END_OF_MONTH` keeps it until the end of the current UTC
//! month (or its own earlier end), when the expiry job ends it.

use brokercrm_core::market_data::{MdResult, Refusal};
use brokercrm_store::db::commit;
use brokercrm_store::repo::market_data::applications::ApplicationRow;
use brokercrm_store::repo::market_data::{feeds, subscriptions};
use chrono::{DateTime, Datelike, TimeZone, Utc};

use crate::App;
use crate::market_data::accounts::{account_of, record};

/// The cancel rules an application may have.
pub const CANCEL_MODES: [&str; 2] = ["IMMEDIATE", "END_OF_MONTH"];

/// The first instant of the month after `now` (UTC).
pub fn end_of_month(now: DateTime<Utc>) -> DateTime<Utc> {
    let (y, m) =
        if now.month() == 12 { (now.year() + 1, 1) } else { (now.year(), now.month() + 1) };
    Utc.with_ymd_and_hms(y, m, 1, 0, 0, 0).single().unwrap_or(now)
}

pub async fn cancel(
    app: &App,
    application: &ApplicationRow,
    uuid: &str,
    names: &[String],
) -> MdResult<()> {
    if names.is_empty() || names.iter().any(|n| n.trim().is_empty()) {
        return Err(Refusal::bad_request("Subscriptions should be specified").into());
    }
    let now = app.clock().now();
    let tx = app.db().begin_write().await?;
    let account = account_of(&tx, application, uuid).await?;
    let rows = feeds::find_by_names(&tx, names).await?;
    let subs = subscriptions::for_account(&tx, account.id).await?;
    let mut targets = Vec::new();
    for name in names {
        let key = feeds::key_of(name);
        let sub = rows
            .iter()
            .find(|f| f.name_key == key)
            .and_then(|f| subs.iter().find(|s| s.feed_id == f.id).map(|s| (f, s)))
            .ok_or_else(|| Refusal::SubscriptionNotFound(name.trim().to_owned()))?;
        let active =
            sub.1.status == subscriptions::ACTIVE && sub.1.expires_at.is_none_or(|e| e > now);
        if !active {
            return Err(Refusal::SubscriptionIsExpired(sub.0.name.clone()).into());
        }
        targets.push(sub);
    }
    let immediate = application.cancel_mode != "END_OF_MONTH";
    for (feed, sub) in targets {
        let ends = if immediate {
            now
        } else {
            let month = end_of_month(now);
            sub.expires_at.map_or(month, |e| e.min(month))
        };
        subscriptions::cancel(&tx, sub.id, ends, immediate, now).await?;
        record(
            &tx,
            app,
            account.id,
            "subscription.cancelled",
            format!("{} ends {}", feed.name, ends.to_rfc3339()),
        )
        .await?;
    }
    commit(tx).await?;
    Ok(())
}
