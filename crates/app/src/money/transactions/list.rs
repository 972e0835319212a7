//! "Get transactions", "Get transaction by ID", "Get coins exchange transactions" and "Get
//! withdrawal methods": reads for staff with ReadTransactions (withdrawal methods: anyone
//! signed in). Filters are the seed's ITransactionFilters as we define them (see
//! docs/transactions.md), each on an indexed column.

use brokercrm_core::identity::auth::Permission;
use brokercrm_core::money::ledger::{TransferCode, TransferState};
use brokercrm_core::money::payments::{MethodType, serves_country};
use brokercrm_core::validate::CountryCode;
use brokercrm_core::{Currency, Error, Result};
use brokercrm_store::ConnectionTrait;
use brokercrm_store::repo::identity::users;
use brokercrm_store::repo::money::ledger::accounts as account_repo;
use brokercrm_store::repo::money::ledger::transactions::{self as repo, TxFilter};
use brokercrm_store::repo::money::wallets as wallet_repo;
use chrono::{DateTime, Utc};

use super::views::{self, TransactionView};
use crate::money::payments::load_all;
use crate::money::payments::methods::MethodView;
use crate::money::scope::{MoneyScope, Owners};
use crate::{App, Principal};

/// Largest page of "Get transactions" (the seed's 10000).
pub const MAX_LIMIT: u64 = 10_000;
/// Largest page of "Get coins exchange transactions" (the seed's 100).
pub const MAX_COINS_LIMIT: u64 = 100;

/// ITransactionFilters and the list's own parameters, as received.
#[derive(Debug, Clone, Default)]
pub struct FilterInput {
    /// A transfer code (`DEPOSIT`...).
    pub kind: Option<String>,
    /// A ledger state (`posted`, `pending`, `voided`).
    pub status: Option<String>,
    pub wallet_id: Option<i64>,
    /// The wallet owner's numeric account id.
    pub customer_id: Option<i64>,
    pub currency: Option<String>,
    pub start_date: Option<DateTime<Utc>>,
    pub end_date: Option<DateTime<Utc>>,
    /// A transfer id, matched exactly.
    pub search: Option<String>,
    /// `createdAt` (default, newest first) or `amount` (largest first).
    pub sort_by: Option<String>,
}

fn trimmed(s: Option<&String>) -> Option<&str> {
    s.map(|s| s.trim()).filter(|s| !s.is_empty())
}

/// Validates `f` into a store filter (account restrictions resolved in `conn`), kept to the
/// wallets of `scope`: a `customerId` or `walletId` that names no customer or wallet in scope
/// (unknown, or out of scope alike) is 404.
pub(crate) async fn filter<C: ConnectionTrait>(
    conn: &C,
    scope: &MoneyScope,
    f: &FilterInput,
) -> Result<TxFilter> {
    let mut out = TxFilter::default();
    if let Some(k) = trimmed(f.kind.as_ref()) {
        out.code = Some(TransferCode::parse("type", k)?.as_str().to_owned());
    }
    if let Some(s) = trimmed(f.status.as_ref()) {
        out.state = Some(TransferState::parse("status", s)?.as_str().to_owned());
    }
    if let Some(c) = trimmed(f.currency.as_ref()) {
        out.currency = Some(Currency::parse("currency", c)?.as_str().to_owned());
    }
    if let (Some(a), Some(b)) = (f.start_date, f.end_date)
        && b < a
    {
        return Err(Error::field("endDate", "must not be before startDate"));
    }
    out.from = f.start_date;
    out.to = f.end_date;
    out.transfer_id = trimmed(f.search.as_ref()).map(str::to_owned);
    out.by_amount = match trimmed(f.sort_by.as_ref()) {
        None | Some("createdAt") => false,
        Some("amount") => true,
        Some(_) => return Err(Error::field("sortBy", "must be createdAt or amount")),
    };
    let mut wallets: Option<Vec<i64>> = None;
    if let Some(c) = f.customer_id {
        if users::find_by_id(conn, c).await?.is_none() {
            return Err(Error::NotFound("customer"));
        }
        scope.require(conn, c, || Error::NotFound("customer")).await?;
        wallets = Some(wallet_repo::ids_of_user(conn, c).await?);
    }
    if let Some(w) = f.wallet_id {
        let owner = wallet_repo::find(conn, w).await?.ok_or(Error::NotFound("wallet"))?.user_id;
        scope.require(conn, owner, || Error::NotFound("wallet")).await?;
        wallets = Some(match wallets {
            Some(ws) => ws.into_iter().filter(|x| *x == w).collect(),
            None => vec![w],
        });
    }
    if wallets.is_none() {
        wallets = match scope.owners() {
            None => None,
            Some(Owners::One(u)) => Some(wallet_repo::ids_of_user(conn, u).await?),
            Some(Owners::Scope(s)) => Some(wallet_repo::ids_in_scope(conn, &s).await?),
        };
    }
    if let Some(ws) = wallets {
        out.accounts = Some(account_repo::ids_for_wallets(conn, &ws).await?);
    }
    Ok(out)
}

/// A page of transactions and how many match in all (ReadTransactions).
pub async fn list(
    app: &App,
    actor: &Principal,
    f: &FilterInput,
    limit: u64,
    offset: u64,
) -> Result<(Vec<TransactionView>, u64)> {
    actor.require(Permission::ReadTransactions)?;
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(Error::field("limit", format!("must be from 1 to {MAX_LIMIT}")));
    }
    let conn = app.db().conn();
    let scope = MoneyScope::of(conn, actor, Permission::ReadTransactions).await?;
    let tf = filter(conn, &scope, f).await?;
    if tf.accounts.as_ref().is_some_and(Vec::is_empty) {
        return Ok((Vec::new(), 0));
    }
    let (rows, total) = repo::list(conn, &tf, limit, offset).await?;
    Ok((views::build(conn, rows).await?, total))
}

/// COINS_EXCHANGE transactions and their count (ReadTransactions).
pub async fn coins_exchange(
    app: &App,
    actor: &Principal,
    f: &FilterInput,
    limit: u64,
    offset: u64,
) -> Result<(Vec<TransactionView>, u64)> {
    actor.require(Permission::ReadTransactions)?;
    if !(1..=MAX_COINS_LIMIT).contains(&limit) {
        return Err(Error::field("limit", format!("must be from 1 to {MAX_COINS_LIMIT}")));
    }
    let conn = app.db().conn();
    let scope = MoneyScope::of(conn, actor, Permission::ReadTransactions).await?;
    let mut tf = filter(conn, &scope, f).await?;
    tf.code = Some(TransferCode::CoinsExchange.as_str().to_owned());
    if tf.accounts.as_ref().is_some_and(Vec::is_empty) {
        return Ok((Vec::new(), 0));
    }
    let (rows, total) = repo::list(conn, &tf, limit, offset).await?;
    Ok((views::build(conn, rows).await?, total))
}

/// One transaction (ReadTransactions); a transfer that touches no wallet, or only wallets of
/// customers out of the caller's scope, is 404.
pub async fn get(app: &App, actor: &Principal, id: &str) -> Result<TransactionView> {
    actor.require(Permission::ReadTransactions)?;
    let conn = app.db().conn();
    let scope = MoneyScope::of(conn, actor, Permission::ReadTransactions).await?;
    let v = views::one(conn, id.trim()).await?.ok_or(Error::NotFound("transaction"))?;
    let owner = v.customer_id.ok_or(Error::NotFound("transaction"))?;
    scope.require(conn, owner, || Error::NotFound("transaction")).await?;
    Ok(v)
}

/// Enabled providers offering withdrawals in `country` (any signed-in user).
pub async fn withdrawal_methods(
    app: &App,
    _actor: &Principal,
    country: Option<&str>,
) -> Result<Vec<MethodView>> {
    let raw = country.map(str::trim).filter(|c| !c.is_empty());
    let country =
        CountryCode::parse("country", raw.ok_or_else(|| Error::field("country", "is required"))?)?;
    let mut out = Vec::new();
    for s in load_all(app, app.db().conn()).await? {
        let k = MethodType::Withdrawal;
        if !s.enabled
            || !s.provider.supports(k)
            || !serves_country(&s.countries, Some(country.as_str()))
        {
            continue;
        }
        let (minimum_amount, maximum_amount) = s.limits.range(k);
        out.push(MethodView {
            id: s.provider.id().to_owned(),
            name: s.provider.name().to_owned(),
            kind: k,
            instant: s.provider.instant(),
            minimum_amount,
            maximum_amount,
            predefined_amounts: Vec::new(),
        });
    }
    Ok(out)
}
