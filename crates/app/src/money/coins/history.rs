//! "Get a list of coins transactions": coin movements (earned, exchanged) newest first by
//! default, for one customer or all; a customer sees only their own.

use brokercrm_core::Result;
use brokercrm_core::identity::auth::Permission;
use brokercrm_core::money::coins::whole_coins;
use brokercrm_core::money::ledger::AccountKey;
use brokercrm_core::{Error, Money};
use brokercrm_store::repo::identity::scope::customers_in;
use brokercrm_store::repo::identity::users;
use brokercrm_store::repo::money::ledger::accounts as account_repo;
use brokercrm_store::repo::money::ledger::coins as coin_repo;
use chrono::{DateTime, Utc};

use super::customer;
use crate::money::scope::MoneyScope;
use crate::{App, Principal};

/// Default and largest page sizes.
pub const DEFAULT_LIMIT: u64 = 20;
pub const MAX_LIMIT: u64 = 500;

/// One coin movement seen from the customer's side.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CoinTransaction {
    /// The ledger transfer id.
    pub id: String,
    /// The customer's UUID.
    pub customer_id: Option<String>,
    /// `BONUS` (earned) or `COINS_EXCHANGE`.
    pub kind: String,
    /// Signed: positive when earned, negative when exchanged.
    pub coins: i64,
    pub comment: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// Query of the list.
#[derive(Debug, Clone, Default)]
pub struct HistoryQuery {
    /// Customer UUID or account id (staff only).
    pub account: Option<String>,
    pub limit: Option<u64>,
    pub offset: Option<u64>,
    /// `createdAt:desc` (default) or `createdAt:asc` (`desc`/`asc`, `-createdAt`/`createdAt`).
    pub order_by: Option<String>,
}

fn newest_first(raw: Option<&str>) -> Result<bool> {
    match raw.map(str::trim).unwrap_or("") {
        "" | "desc" | "createdAt:desc" | "-createdAt" => Ok(true),
        "asc" | "createdAt:asc" | "createdAt" => Ok(false),
        _ => Err(Error::field("orderBy", "must be createdAt:desc or createdAt:asc")),
    }
}

/// A page of coin transactions and the number of pages.
pub async fn list(
    app: &App,
    actor: &Principal,
    q: HistoryQuery,
) -> Result<(Vec<CoinTransaction>, u64)> {
    let limit = q.limit.unwrap_or(DEFAULT_LIMIT);
    if limit == 0 || limit > MAX_LIMIT {
        return Err(Error::field("limit", format!("must be from 1 to {MAX_LIMIT}")));
    }
    let offset = q.offset.unwrap_or(0);
    if offset > 100_000_000 {
        return Err(Error::field("offset", "is too large"));
    }
    let newest = newest_first(q.order_by.as_deref())?;
    let conn = app.db().conn();
    let scope = MoneyScope::of(conn, actor, Permission::ReadWallets).await?;
    let named = q.account.as_deref().map(str::trim).filter(|s| !s.is_empty());
    // The customers whose coins are listed (`None`: every customer's). A named customer out
    // of the caller's scope answers as an unknown one.
    let who: Option<Vec<i64>> = match (&scope, named) {
        (MoneyScope::Own(me), _) => Some(vec![*me]),
        (MoneyScope::Customers(_), Some(a)) => {
            let unknown = || Error::field("account", "no customer has this id");
            let id = customer(conn, a).await.map_err(|_| unknown())?.id;
            scope.require(conn, id, unknown).await?;
            Some(vec![id])
        }
        (MoneyScope::Customers(s), None) => customers_in(conn, s).await?,
    };
    let accounts = match who {
        Some(uids) => {
            let keys = uids
                .into_iter()
                .map(|u| AccountKey::customer_coins(u).map(|k| k.key()))
                .collect::<Result<Vec<_>>>()?;
            let accounts: Vec<i64> =
                account_repo::find_by_keys(conn, &keys).await?.into_iter().map(|a| a.id).collect();
            if accounts.is_empty() {
                return Ok((Vec::new(), 0));
            }
            Some(accounts)
        }
        None => None,
    };
    let (rows, total) =
        coin_repo::transfers(conn, accounts.as_deref(), newest, limit, offset).await?;
    // The customer side of each transfer: its coin account names the customer.
    let mut out = Vec::with_capacity(rows.len());
    let ids: Vec<i64> =
        rows.iter().flat_map(|t| [t.debit_account_id, t.credit_account_id]).collect();
    let owners = coin_repo::coin_owners(conn, &ids).await?;
    let uids: Vec<i64> = owners.iter().map(|(_, u)| *u).collect();
    let users = users::find_by_ids(conn, &uids).await?;
    let uuid_of = |uid: i64| users.iter().find(|u| u.id == uid).map(|u| u.uuid.clone());
    for t in rows {
        let debit = owners.iter().find(|(a, _)| *a == t.debit_account_id);
        let credit = owners.iter().find(|(a, _)| *a == t.credit_account_id);
        let (uid, sign) = match (credit, debit) {
            (Some((_, u)), _) => (Some(*u), 1),
            (None, Some((_, u))) => (Some(*u), -1),
            _ => (None, 1),
        };
        out.push(CoinTransaction {
            id: t.transfer_id,
            customer_id: uid.and_then(uuid_of),
            kind: t.code,
            coins: sign * whole_coins(Money::from_minor(t.amount)),
            comment: t.user_data,
            created_at: t.created_at,
        });
    }
    Ok((out, total.div_ceil(limit)))
}
