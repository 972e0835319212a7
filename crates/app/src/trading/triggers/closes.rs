//! The closes one evaluator pass made due, committed together: one write transaction for all
//! of them (one wait for the writer, one commit, one flush), each close in its own savepoint
//! so one that cannot apply (the position moved on, a refusal) leaves the others. Each close
//! is the single close's use case (`positions::close::close_in`); wallets are locked in
//! ascending id order. If the transaction itself fails, each close runs alone (`fire::close`).

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use brokercrm_core::trading::positions::{CloseReason, Status};
use brokercrm_core::{Error, Result};
use brokercrm_engine::Price;
use brokercrm_store::repo::money::wallets::{self, WalletRow};
use brokercrm_store::repo::trading::positions::{self, PositionRow};
use brokercrm_store::{DatabaseTransaction, db};

use super::fire::{self, Outcome, executed};
use crate::App;
use crate::platform::after_commit::Pending;
use crate::trading::events::TradeChanged;
use crate::trading::positions::close::close_in;
use crate::trading::positions::market::{self, Market, Markups};

/// A close a tick made due: position `id`, if still OPEN at `version`, at raw price `at`.
#[derive(Debug, Clone, Copy)]
pub struct Due {
    pub id: i64,
    pub version: i64,
    pub at: Price,
    pub reason: CloseReason,
}

/// Closes every one of `due`; returns each position's outcome, in `due`'s order.
pub async fn close_many(app: &App, due: &[Due]) -> Vec<(i64, Result<Outcome>)> {
    if due.len() > 1 {
        match together(app, due).await {
            Ok(out) => return out,
            Err(e) => {
                tracing::warn!(error = ?e, closes = due.len(), "trigger closes: the batch failed; closing each alone");
            }
        }
    }
    let mut out = Vec::with_capacity(due.len());
    for d in due {
        out.push((d.id, fire::close(app, d.id, d.version, d.at, d.reason).await));
    }
    out
}

/// What a batch reads once: markets by symbol, markups by wallet.
#[derive(Default)]
struct Cache {
    markets: HashMap<String, Market>,
    markups: HashMap<i64, Markups>,
}

async fn together(app: &App, due: &[Due]) -> Result<Vec<(i64, Result<Outcome>)>> {
    let ids: Vec<i64> = due.iter().map(|d| d.id).collect();
    let mut wallet_ids: Vec<i64> = positions::find_many(app.db().conn(), &ids)
        .await?
        .iter()
        .filter(|p| p.status == Status::Open.as_str())
        .map(|p| p.wallet_id)
        .collect();
    wallet_ids.sort_unstable();
    wallet_ids.dedup();
    let tx = app.db().begin_write().await?;
    let mut locked: HashMap<i64, WalletRow> = HashMap::new();
    for id in wallet_ids {
        if let Some(w) = wallets::lock(&tx, id).await? {
            locked.insert(id, w);
        }
    }
    let rows: HashMap<i64, PositionRow> =
        positions::find_many(&tx, &ids).await?.into_iter().map(|p| (p.id, p)).collect();
    let mut cache = Cache::default();
    let mut after = app.bus().pending();
    let mut out = Vec::with_capacity(due.len());
    for d in due {
        let current =
            rows.get(&d.id).filter(|p| p.version == d.version && p.status == Status::Open.as_str());
        let outcome = match current.and_then(|p| Some((p, locked.get(&p.wallet_id)?))) {
            Some((p, w)) => one(app, &tx, &mut cache, &mut after, w, p, d).await,
            None => Ok(Outcome::Moved),
        };
        out.push((d.id, outcome));
    }
    after.commit(tx).await?;
    Ok(out)
}

/// One close of the batch, in its own savepoint of `tx`.
async fn one(
    app: &App,
    tx: &DatabaseTransaction,
    cache: &mut Cache,
    after: &mut Pending<'_>,
    w: &WalletRow,
    p: &PositionRow,
    d: &Due,
) -> Result<Outcome> {
    if let Entry::Vacant(e) = cache.markets.entry(p.symbol.clone()) {
        e.insert(market::load(tx, "symbol", &p.symbol).await?);
    }
    if let Entry::Vacant(e) = cache.markups.entry(w.id) {
        e.insert(Markups::of_wallet(tx, w).await?);
    }
    let (Some(m), Some(mk)) = (cache.markets.get(&p.symbol), cache.markups.get(&w.id)) else {
        return Err(Error::internal("batch cache missing an entry"));
    };
    let at = executed(mk, m, &p.side, d.at, false)?;
    let sp = db::savepoint(tx).await?;
    match close_in(app, &sp, w, p, at, d.reason).await {
        Ok(closed) => {
            db::commit(sp).await?;
            after.push(TradeChanged::of(&closed));
            Ok(Outcome::Done(Box::new(closed)))
        }
        Err(e) => {
            db::rollback(sp).await?;
            match e {
                Error::Conflict(_) => Ok(Outcome::Moved),
                e => Err(e),
            }
        }
    }
}
