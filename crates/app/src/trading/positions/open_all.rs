//! Filling many market opens in the caller's write transaction with one statement per table:
//! the wallets' open positions and accounts read once, each fill decided in order on its
//! wallet's book in memory ([`Book::fill`], as a single fill decides, the book then holding
//! it), the accepted positions inserted together, their filled orders together and their
//! commissions posted together (`ledger::post_many`). A refused fill (free margin) is that
//! fill's answer and writes nothing; a failed write fails the whole call (the caller rolls
//! back).

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use brokercrm_core::money::ledger::TransferCode;
use brokercrm_core::trading::positions::{OrderKind, Status};
use brokercrm_core::{Error, Money, Result};
use brokercrm_store::DatabaseTransaction;
use brokercrm_store::repo::money::ledger::accounts;
use brokercrm_store::repo::money::wallets::WalletRow;
use brokercrm_store::repo::trading::orders::{self, OrderRow};
use brokercrm_store::repo::trading::positions::{self, PositionRow};

use super::figures::money_in;
use super::fill::order_of;
use super::fill::{Book, commission_transfer};
use super::ledger::{Posting, Shortfall, post_many};
use super::market::{Lookups, Market};

/// One fill of a batch: position `position` (open price and time set, not stored) on wallet
/// `wallet` (locked in the transaction) on market `market`.
pub struct Opening<'a> {
    pub wallet: &'a WalletRow,
    pub market: &'a Market,
    pub position: PositionRow,
}

/// Fills every one of `list` in `tx`; returns each one's outcome in order: the stored OPEN
/// row, or the refusal that kept it out (nothing of it written).
pub async fn open_all_in(
    tx: &DatabaseTransaction,
    look: &mut Lookups,
    list: Vec<Opening<'_>>,
) -> Result<Vec<Result<PositionRow>>> {
    let mut wallet_ids: Vec<i64> = list.iter().map(|o| o.wallet.id).collect();
    wallet_ids.sort_unstable();
    wallet_ids.dedup();
    let mut open: HashMap<i64, Vec<PositionRow>> = HashMap::new();
    for p in positions::of_wallets(tx, &wallet_ids, Status::Open.as_str()).await? {
        open.entry(p.wallet_id).or_default().push(p);
    }
    let money = accounts::for_wallets(tx, &wallet_ids).await?;
    let mut books: HashMap<i64, Book> = HashMap::new();
    let mut out: Vec<Result<PositionRow>> = Vec::with_capacity(list.len());
    let mut accepted: Vec<(usize, &WalletRow, PositionRow)> = Vec::new();
    for (at, o) in list.into_iter().enumerate() {
        let w = o.wallet;
        if let Entry::Vacant(e) = books.entry(w.id) {
            let held = open.remove(&w.id).unwrap_or_default();
            let symbols = [o.position.symbol.clone()];
            e.insert(Book::of(tx, look, w, held, money_in(&money, w.id), &symbols).await?);
        }
        let book = books.get_mut(&w.id).ok_or_else(|| Error::internal("book missing"))?;
        if !book.prices.by_symbol.contains_key(&o.position.symbol) {
            // A second symbol on the same wallet in this batch: price it too.
            let symbols = [o.position.symbol.clone()];
            let held = std::mem::take(&mut book.open);
            *book = Book::of(tx, look, w, held, (book.balance, book.credit), &symbols).await?;
        }
        match book.fill(o.market, o.position) {
            Ok(p) => {
                accepted.push((at, w, p));
                out.push(Err(Error::internal("not written"))); // replaced once stored, below
            }
            Err(e) => out.push(Err(e)),
        }
    }
    let rows: Vec<PositionRow> = accepted.iter().map(|(_, _, p)| p.clone()).collect();
    let stored = positions::insert_many(tx, &rows).await?;
    let filled: Vec<OrderRow> =
        stored.iter().map(|p| order_of(p, OrderKind::Market, None)).collect();
    orders::insert_many(tx, &filled).await?;
    let notes: Vec<(String, String)> = stored.iter().map(commission_transfer).collect();
    let postings: Vec<Posting> = accepted
        .iter()
        .zip(&stored)
        .zip(&notes)
        .map(|(((_, w, _), p), (id, note))| Posting {
            wallet: w,
            id,
            amount: Money::from_minor(p.commission.saturating_neg()),
            code: TransferCode::TradingCommission,
            shortfall: Shortfall::Refuse,
            note: note.clone(),
        })
        .collect();
    post_many(tx, &postings).await?;
    for ((at, _, _), p) in accepted.iter().zip(stored) {
        if let Some(slot) = out.get_mut(*at) {
            *slot = Ok(p);
        }
    }
    Ok(out)
}
