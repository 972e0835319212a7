//! "Get user statement records": every posted ledger movement of the caller's wallets in a
//! range, oldest first, each with the running balance of the wallet account it moved. The
//! opening balance of each account at `start` is summed from the ledger.

use std::collections::HashMap;

use brokercrm_core::{Error, Money, Result};
use brokercrm_store::repo::money::ledger::accounts as account_repo;
use brokercrm_store::repo::money::ledger::reports;
use brokercrm_store::repo::money::wallets::{self, WalletFilter};
use chrono::{DateTime, Utc};
use sea_orm::ConnectionTrait;
use serde::Serialize;

use super::Range;
use crate::{App, Principal};

/// Most records one JSON statement answers (the XLSX export has no such cap).
pub const MAX_RECORDS: u64 = 10_000;
/// Rows fetched per database round trip.
const CHUNK: u64 = 1_000;
/// Most wallets one customer's statement covers.
const MAX_WALLETS: u64 = 1_000;

/// One movement of one wallet account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StatementRecord {
    /// The ledger transfer id.
    pub id: String,
    pub date: DateTime<Utc>,
    pub wallet_id: i64,
    pub currency: String,
    /// The transfer code: DEPOSIT, WITHDRAWAL, BONUS, CORRECTION, WALLET_TRANSFER, ...
    #[serde(rename = "type")]
    pub kind: String,
    /// `balance` or `credit`: which account of the wallet moved.
    pub account: String,
    /// Signed: positive into the wallet, negative out of it.
    pub amount: Money,
    /// That account's posted balance after this movement.
    pub balance: Money,
    pub comment: Option<String>,
}

struct Account {
    wallet_id: i64,
    currency: String,
    credit: bool,
    running: i64,
}

/// The caller's wallet accounts with their balances at `start`.
async fn accounts<C: ConnectionTrait>(
    conn: &C,
    user_id: i64,
    start: DateTime<Utc>,
) -> Result<HashMap<i64, Account>> {
    let f = WalletFilter { user_id: Some(user_id), ..WalletFilter::default() };
    let (ws, _) = wallets::list(conn, &f, MAX_WALLETS, 0).await?;
    let ids: Vec<i64> = ws.iter().map(|w| w.id).collect();
    let mut out = HashMap::new();
    for a in account_repo::for_wallets(conn, &ids).await? {
        let Some(wallet_id) = a.wallet_id else { continue };
        let credit = match a.kind.as_str() {
            "wallet_balance" => false,
            "wallet_credit" => true,
            _ => continue,
        };
        out.insert(a.id, Account { wallet_id, currency: a.currency, credit, running: 0 });
    }
    let ids: Vec<i64> = out.keys().copied().collect();
    for (id, total) in reports::balances_before(conn, &ids, start).await? {
        if let Some(a) = out.get_mut(&id) {
            a.running = total;
        }
    }
    Ok(out)
}

/// Feeds the statement of `user_id` over `range` to `each`, oldest first, in chunks.
pub async fn for_each<C, F>(conn: &C, user_id: i64, range: Range, each: F) -> Result<()>
where
    C: ConnectionTrait,
    F: FnMut(StatementRecord) -> Result<()>,
{
    for_each_in_chunks(conn, user_id, range, CHUNK, each).await
}

/// [`for_each`] reading `size` ledger rows per round trip (tests cross chunks with a small
/// size).
pub async fn for_each_in_chunks<C, F>(
    conn: &C,
    user_id: i64,
    range: Range,
    size: u64,
    mut each: F,
) -> Result<()>
where
    C: ConnectionTrait,
    F: FnMut(StatementRecord) -> Result<()>,
{
    let mut accts = accounts(conn, user_id, range.start).await?;
    let mut ids: Vec<i64> = accts.keys().copied().collect();
    ids.sort_unstable();
    let mut after = None;
    loop {
        let rows = reports::movements_page(conn, &ids, range.start, range.end, after, size).await?;
        let Some(last) = rows.last() else { break };
        after = Some(last.id);
        let done = (rows.len() as u64) < size;
        for t in rows {
            for (id, sign) in [(t.debit_account_id, -1i64), (t.credit_account_id, 1)] {
                let Some(a) = accts.get_mut(&id) else { continue };
                let delta = t.amount * sign;
                a.running = a
                    .running
                    .checked_add(delta)
                    .ok_or_else(|| Error::internal("statement balance overflow"))?;
                each(StatementRecord {
                    id: t.transfer_id.clone(),
                    date: t.created_at,
                    wallet_id: a.wallet_id,
                    currency: a.currency.clone(),
                    kind: t.code.clone(),
                    account: if a.credit { "credit" } else { "balance" }.to_owned(),
                    amount: Money::from_minor(delta),
                    balance: Money::from_minor(a.running),
                    comment: t.user_data.clone(),
                })?;
            }
        }
        if done {
            break;
        }
    }
    Ok(())
}

/// "Get user statement records": the caller's own statement, at most [`MAX_RECORDS`] rows
/// (a longer one is 422 on `end`: narrow the range or export it).
pub async fn statement(app: &App, actor: &Principal, range: Range) -> Result<Vec<StatementRecord>> {
    let conn = app.db().conn();
    let mut out = Vec::new();
    for_each(conn, actor.user_id, range, |r| {
        if out.len() as u64 >= MAX_RECORDS {
            return Err(Error::field(
                "end",
                format!("the range holds more than {MAX_RECORDS} records; narrow it or export it"),
            ));
        }
        out.push(r);
        Ok(())
    })
    .await?;
    Ok(out)
}
