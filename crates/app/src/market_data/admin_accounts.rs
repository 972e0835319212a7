//! Staff view of market-data accounts (ReadMarketData): the list (optionally one
//! application's), and one account with its subscriptions, signed agreements and history.

use brokercrm_core::identity::auth::Permission;
use brokercrm_core::{Error, Result};
use brokercrm_store::repo::market_data::accounts::{self, AccountFilter, AccountRow};
use brokercrm_store::repo::market_data::agreements::{self, AgreementRow};
use brokercrm_store::repo::market_data::applications;
use brokercrm_store::repo::market_data::history::{self, HistoryRow};

use crate::market_data::subscriptions::{SubscriptionView, of_account};
use crate::{App, Principal};

pub use brokercrm_store::repo::market_data::accounts::AccountRow as AccountRowView;

/// One account in full.
#[derive(Debug, Clone)]
pub struct AccountDetail {
    pub account: AccountRow,
    pub application_id: String,
    pub subscriptions: Vec<SubscriptionView>,
    pub agreements: Vec<AgreementRow>,
    pub history: Vec<HistoryRow>,
}

/// What the staff's account list filters on.
#[derive(Debug, Clone, Default)]
pub struct AccountQuery<'a> {
    /// An application's public id.
    pub application: Option<&'a str>,
    /// Part of the e-mail (any case).
    pub email: Option<&'a str>,
}

/// A page of accounts with the application id of each, and how many match in all.
pub struct AccountPage {
    pub rows: Vec<(AccountRow, String)>,
    pub total: u64,
}

/// Accounts by creation matching `q`, one page, with the total.
pub async fn list(
    app: &App,
    actor: &Principal,
    q: AccountQuery<'_>,
    offset: u64,
    limit: u64,
) -> Result<AccountPage> {
    actor.require(Permission::ReadMarketData)?;
    let conn = app.db().conn();
    let offset = brokercrm_core::validate::offset("offset", offset)?;
    let email = q.email.map(str::trim).filter(|e| !e.is_empty());
    if email.is_some_and(|e| e.chars().count() > 254) {
        return Err(Error::field("email", "at most 254 characters"));
    }
    let app_id = match q.application.filter(|s| !s.trim().is_empty()) {
        Some(u) => Some(
            applications::find_by_uuid(conn, u.trim())
                .await?
                .ok_or_else(|| Error::field("applicationId", "unknown application"))?
                .id,
        ),
        None => None,
    };
    let filter = AccountFilter { application_id: app_id, email: email.map(str::to_owned) };
    let rows = accounts::list(conn, &filter, offset, limit.clamp(1, 500)).await?;
    let total = accounts::count(conn, &filter).await?;
    let apps = applications::list(conn, 0, 10_000).await?;
    let rows = rows
        .into_iter()
        .map(|r| {
            let a = apps
                .iter()
                .find(|a| a.id == r.application_id)
                .map(|a| a.uuid.clone())
                .unwrap_or_default();
            (r, a)
        })
        .collect();
    Ok(AccountPage { rows, total })
}

/// One account by its public id, with everything it did.
pub async fn get(app: &App, actor: &Principal, uuid: &str) -> Result<AccountDetail> {
    actor.require(Permission::ReadMarketData)?;
    let conn = app.db().conn();
    let row = accounts::find_by_uuid(conn, uuid.trim()).await?.ok_or(Error::NotFound("account"))?;
    let application = applications::find_by_id(conn, row.application_id)
        .await?
        .map(|a| a.uuid)
        .unwrap_or_default();
    Ok(AccountDetail {
        subscriptions: of_account(app, row.id).await?,
        agreements: agreements::for_account(conn, row.id).await?,
        history: history::for_account(conn, row.id).await?,
        application_id: application,
        account: row,
    })
}
