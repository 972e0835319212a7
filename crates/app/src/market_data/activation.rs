//! "Activate subscription" v1 (feed names) and v2 (feed names with optional end dates): checks
//! the seed's failure rows, then opens an order. Without the wizard done for these feeds the
//! answer carries the wizard links; with a confirmation required (by the application and at
//! least one feed) a confirmation id; with neither the feeds are activated at once. A new
//! activation supersedes the account's pending order: its links and confirmation id die.

use brokercrm_core::market_data::end_date::{self, EndDateError};
use brokercrm_core::market_data::status::check_order;
use brokercrm_core::market_data::{Allowed, MdResult, Refusal, SubscriberStatus};
use brokercrm_store::db::commit;
use brokercrm_store::repo::market_data::applications::ApplicationRow;
use brokercrm_store::repo::market_data::links as link_rows;
use brokercrm_store::repo::market_data::orders::{self, NewOrder};
use brokercrm_store::repo::market_data::{agreements, feeds, subscriptions};

use crate::App;
use crate::identity::security::random_token;
use crate::market_data::accounts::{account_of, record};
use crate::market_data::completion::{self, OrderItem};
use crate::market_data::links::{self, SIGNUP_TTL, ThemeLinks};

/// One feed asked for.
#[derive(Debug, Clone)]
pub struct FeedRequest {
    pub name: String,
    /// v2 only: the raw `endDate`.
    pub end_date: Option<String>,
}

/// An activation request.
#[derive(Debug, Clone)]
pub struct Activation {
    /// 1 or 2: the API version of the path (confirm must use the same).
    pub version: i16,
    pub feeds: Vec<FeedRequest>,
    pub success_redirect_url: Option<String>,
}

/// The seed's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Activated {
    pub signup: Option<ThemeLinks>,
    pub confirmation_id: Option<String>,
}

fn bad(msg: &str) -> Refusal {
    Refusal::bad_request(msg)
}

/// Activates `req` for the application's account `uuid`.
pub async fn activate(
    app: &App,
    application: &ApplicationRow,
    uuid: &str,
    req: Activation,
) -> MdResult<Activated> {
    if req.feeds.is_empty() {
        return Err(bad("Subscriptions should be specified").into());
    }
    if req.feeds.iter().any(|f| f.name.trim().is_empty()) {
        let msg = if req.version == 2 {
            "Feed name should be specified"
        } else {
            "Subscriptions should be specified"
        };
        return Err(bad(msg).into());
    }
    let redirect =
        match req.success_redirect_url.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            Some(u) => Some(
                brokercrm_core::validate::http_url("successRedirectUrl", u)
                    .map_err(|_| bad("Invalid value for successRedirectUrl"))?,
            ),
            None => None,
        };
    let now = app.clock().now();
    let tx = app.db().begin_write().await?;
    let account = account_of(&tx, application, uuid).await?;
    let names: Vec<String> = req.feeds.iter().map(|f| f.name.trim().to_owned()).collect();
    let rows = feeds::find_by_names(&tx, &names).await?;
    let mut items: Vec<OrderItem> = Vec::new();
    let mut chosen = Vec::new();
    for f in &req.feeds {
        let key = feeds::key_of(&f.name);
        let feed = rows
            .iter()
            .find(|r| r.name_key == key)
            .ok_or_else(|| Refusal::FeedNotFound(f.name.trim().to_owned()))?;
        if items.iter().any(|i| i.feed_id == feed.id) {
            continue;
        }
        let end = match f.end_date.as_deref().filter(|s| !s.trim().is_empty()) {
            Some(raw) => {
                Some(end_date::parse(raw, now).map_err(|e: EndDateError| bad(e.message()))?)
            }
            None if f.end_date.is_some() => return Err(bad(EndDateError::Invalid.message()).into()),
            None => None,
        };
        items.push(OrderItem { feed_id: feed.id, name: feed.name.clone(), end_date: end });
        chosen.push(feed.clone());
    }
    let subs = subscriptions::for_account(&tx, account.id).await?;
    for feed in &chosen {
        let Some(s) = subs.iter().find(|s| s.feed_id == feed.id) else { continue };
        let active = s.status == subscriptions::ACTIVE && s.expires_at.is_none_or(|e| e > now);
        if active {
            return Err(Refusal::SubscriptionAlreadyActive(feed.name.clone()).into());
        }
        if feed.single_use {
            return Err(Refusal::SingleUseFeedActivatedBefore(feed.name.clone()).into());
        }
    }
    let restriction = |s: &str| Allowed::parse(s).unwrap_or(Allowed::All);
    let feed_rules: Vec<Allowed> =
        chosen.iter().map(|f| restriction(&f.allowed_statuses)).collect();
    let declared = account.subscriber_status.as_deref().and_then(SubscriberStatus::parse);
    check_order(
        restriction(&account.allowed_statuses),
        declared,
        restriction(&application.allowed_statuses),
        &feed_rules,
    )
    .map_err(|c| bad(c.message()))?;

    let needs_confirmation =
        application.confirmation_required && chosen.iter().any(|f| f.needs_confirmation);
    let signed = agreements::for_account(&tx, account.id).await?;
    let profile_done = account.profile_completed_at.is_some()
        && chosen
            .iter()
            .all(|f| signed.iter().any(|a| a.feed_id == f.id && a.version == f.agreement_version));
    orders::supersede_pending(&tx, account.id).await?;
    link_rows::expire_unused(&tx, account.id, link_rows::SIGNUP, now).await?;
    let confirmation_id = needs_confirmation.then(|| random_token(24));
    let order = orders::insert(
        &tx,
        NewOrder {
            account_id: account.id,
            api_version: req.version,
            items: serde_json::to_string(&items).map_err(brokercrm_core::Error::internal)?,
            confirmation_id: confirmation_id.clone(),
            needs_confirmation,
            signed_at: profile_done.then_some(now),
            success_redirect_url: redirect,
            expires_at: now + SIGNUP_TTL,
        },
        now,
    )
    .await?;
    record(&tx, app, account.id, "order.created", format!("v{} {}", req.version, names.join(", ")))
        .await?;
    let signup = if profile_done {
        None
    } else {
        Some(
            links::issue(&tx, app, account.id, Some(order.id), link_rows::SIGNUP, now + SIGNUP_TTL)
                .await?,
        )
    };
    if completion::ready(&order) {
        completion::complete(&tx, app, application, &account, &order).await?;
    }
    commit(tx).await?;
    Ok(Activated { signup, confirmation_id })
}
