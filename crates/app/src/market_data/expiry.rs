//! The expiry job: subscriptions whose end has passed become `EXPIRED`, each with its history
//! entry. Runs in every maintenance pass (`workers::maintain`).

use brokercrm_core::Result;
use brokercrm_store::db::commit;
use brokercrm_store::repo::market_data::{feeds, history, subscriptions};

use crate::App;

/// Subscriptions handled per batch.
const BATCH: u64 = 500;

/// Expires every due subscription; returns how many.
pub async fn expire_due(app: &App) -> Result<usize> {
    let mut total = 0;
    loop {
        let now = app.clock().now();
        let due = subscriptions::due(app.db().conn(), now, BATCH).await?;
        if due.is_empty() {
            return Ok(total);
        }
        let tx = app.db().begin_write().await?;
        let ids: Vec<i64> = due.iter().map(|s| s.feed_id).collect();
        let names = feeds::find_by_ids(&tx, &ids).await?;
        for s in &due {
            if subscriptions::expire(&tx, s.id, now).await? {
                let name = names
                    .iter()
                    .find(|f| f.id == s.feed_id)
                    .map(|f| f.name.as_str())
                    .unwrap_or("?");
                history::insert(&tx, s.account_id, "subscription.expired", name.to_owned(), now)
                    .await?;
                total += 1;
            }
        }
        commit(tx).await?;
        if (due.len() as u64) < BATCH {
            return Ok(total);
        }
    }
}
