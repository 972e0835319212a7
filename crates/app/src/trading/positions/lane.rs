//! Group commit of market opens and closes. Every fill and close posts against its book's
//! trading P/L house account, so one transaction per request queues on that row's lock
//! (PostgreSQL) or on the one writer (SQLite). Here the requests queued while the writer was
//! busy are written in one write transaction: their wallets locked in ascending id order, the
//! opens filled together (`open_all`), the positions to close read and checked (open, on the
//! wallet the request saw, not twice) and closed together (`close_all`), staff's audit entries
//! in one statement, then one commit and the live streams told. Every check a request makes
//! alone is made here on the same rows; what the batch refuses is that request's answer. If
//! a write fails, the batch rolls back and each request runs alone in its own transaction.

use std::collections::{HashMap, HashSet};

use brokercrm_core::trading::positions::{CloseReason, Status};
use brokercrm_core::{Error, Result};
use brokercrm_engine::Price;
use brokercrm_store::DatabaseTransaction;
use brokercrm_store::repo::money::wallets::{self, WalletRow};
use brokercrm_store::repo::trading::positions::{self, PositionRow};

use super::close_all::{Closing, close_all_in};
use super::fill::opened_audit;
use super::market::{Lookups, Market};
use super::open_all::{Opening, open_all_in};
use super::settle::closed_audit;
use crate::platform::audit::{self, Audit};
use crate::platform::group_commit::Batch;
use crate::trading::events::TradeChanged;
use crate::{App, Principal};

type Job = crate::platform::group_commit::Job<Move, Done>;

/// A market open or close, checked by its requester and ready to write.
pub(crate) enum Move {
    /// Fill `position` (open price and time set) on market `market`; `staff`: who, and
    /// whether at a price they named (audited).
    Open { market: Box<Market>, position: Box<PositionRow>, staff: Option<(Principal, bool)> },
    /// Close position `id` of wallet `wallet_id` at executed price `at`; `staff` is audited.
    Close {
        id: i64,
        wallet_id: i64,
        at: Price,
        reason: CloseReason,
        staff: Option<Principal>,
        decimals: u32,
    },
}

impl Move {
    fn wallet_id(&self) -> i64 {
        match self {
            Move::Open { position, .. } => position.wallet_id,
            Move::Close { wallet_id, .. } => *wallet_id,
        }
    }
}

/// What the batch did with a move.
#[derive(Debug)]
pub(crate) enum Done {
    /// Committed: the position as stored.
    Row(Box<PositionRow>),
    /// The batch failed before committing: the requester runs the move alone.
    Alone,
}

/// Market opens and closes, on one writer lane (they share their house accounts).
pub struct TradeMoves;

impl Batch for TradeMoves {
    type Job = Move;
    type Answer = Done;
    type Lane = ();
    const MAX: usize = 128;
    async fn store(app: App, _lane: &mut (), jobs: Vec<Job>) {
        let moves: Vec<&Move> = jobs.iter().map(|j| &j.job).collect();
        let answers = write(&app, &moves).await;
        for (job, answer) in jobs.into_iter().zip(answers) {
            job.answer(answer);
        }
    }
}

/// Writes `m` in the lane's next batch; returns once that batch is committed.
pub(crate) async fn run(app: &App, m: Move) -> Result<Done> {
    app.trade_lane().run(m).await
}

/// Writes a batch in one transaction; answers each move.
async fn write(app: &App, moves: &[&Move]) -> Vec<Result<Done>> {
    let alone = || moves.iter().map(|_| Ok(Done::Alone)).collect();
    let started = std::time::Instant::now();
    let tx = match app.db().begin_write().await {
        Ok(tx) => tx,
        Err(e) => {
            tracing::warn!(error = %e, size = moves.len(), "trade batch: no transaction; running its moves alone");
            return alone();
        }
    };
    let mut laps = Laps { begun_us: started.elapsed().as_micros(), ..Laps::default() };
    let answers = match write_in(app, &tx, moves, (started, &mut laps)).await {
        Ok(answers) => answers,
        Err(e) => {
            tracing::warn!(error = ?e, size = moves.len(), "trade batch failed; running its moves alone");
            let _ = tx.rollback().await;
            return alone();
        }
    };
    let mut after = app.bus().pending();
    for answer in &answers {
        if let Ok(Done::Row(p)) = answer {
            after.push(TradeChanged::of(p));
        }
    }
    match after.commit(tx).await {
        Ok(()) => {
            tracing::debug!(
                size = moves.len(),
                begun_us = laps.begun_us,
                locked_us = laps.locked_us,
                opened_us = laps.opened_us,
                closed_us = laps.closed_us,
                committed_us = started.elapsed().as_micros(),
                "trade batch steps"
            );
            answers
        }
        // Whether it committed is unknown: no move may run again (an open would be doubled).
        Err(e) => {
            tracing::error!(error = ?e, size = moves.len(), "trade batch: the commit failed");
            moves.iter().map(|_| Err(Error::internal("the trade batch's commit failed"))).collect()
        }
    }
}

/// When a batch's steps ended, in µs since it began (the debug log's laps).
#[derive(Default)]
struct Laps {
    begun_us: u128,
    locked_us: u128,
    opened_us: u128,
    closed_us: u128,
}

async fn write_in(
    app: &App,
    tx: &DatabaseTransaction,
    moves: &[&Move],
    (started, laps): (std::time::Instant, &mut Laps),
) -> Result<Vec<Result<Done>>> {
    let mut wallet_ids: Vec<i64> = moves.iter().map(|m| m.wallet_id()).collect();
    wallet_ids.sort_unstable();
    wallet_ids.dedup();
    let locked: HashMap<i64, WalletRow> =
        wallets::lock_many(tx, &wallet_ids).await?.into_iter().map(|w| (w.id, w)).collect();
    laps.locked_us = started.elapsed().as_micros();
    let mut look = Lookups::default();
    let mut answers: Vec<Result<Done>> = Vec::with_capacity(moves.len());
    let mut audits: Vec<(Option<&Principal>, Audit)> = Vec::new();

    let mut opening = Vec::new();
    let mut opened_at = Vec::new();
    for (at, m) in moves.iter().enumerate() {
        answers.push(Ok(Done::Alone)); // each replaced below
        if let Move::Open { market, position, .. } = m {
            let Some(wallet) = locked.get(&position.wallet_id) else {
                answers[at] = Err(Error::NotFound("wallet"));
                continue;
            };
            opening.push(Opening { wallet, market, position: (**position).clone() });
            opened_at.push(at);
        }
    }
    for (at, outcome) in opened_at.into_iter().zip(open_all_in(tx, &mut look, opening).await?) {
        answers[at] = outcome.map(|p| {
            if let Move::Open { market, staff: Some((actor, price_set)), .. } = moves[at] {
                audits.push((Some(actor), opened_audit(&p, market.spec.decimals, *price_set)));
            }
            Done::Row(Box::new(p))
        });
    }

    laps.opened_us = started.elapsed().as_micros();
    let ids: Vec<i64> = moves
        .iter()
        .filter_map(|m| if let Move::Close { id, .. } = m { Some(*id) } else { None })
        .collect();
    let rows: HashMap<i64, PositionRow> =
        positions::find_many(tx, &ids).await?.into_iter().map(|p| (p.id, p)).collect();
    let mut taken = HashSet::new();
    let mut closing = Vec::new();
    let mut closed_at = Vec::new();
    for (at, m) in moves.iter().enumerate() {
        let Move::Close { id, wallet_id, at: price, reason, .. } = m else { continue };
        let current = rows
            .get(id)
            .filter(|p| p.wallet_id == *wallet_id && p.status == Status::Open.as_str())
            .and_then(|p| Some((p, locked.get(&p.wallet_id)?)))
            .filter(|_| taken.insert(*id));
        match current {
            Some((position, wallet)) => {
                closing.push(Closing { wallet, position, at: *price, reason: *reason });
                closed_at.push(at);
            }
            None => answers[at] = Err(Error::Conflict(format!("position {id} is not open"))),
        }
    }
    let closed = close_all_in(app, tx, &mut look, &closing).await?;
    for (at, p) in closed_at.into_iter().zip(closed) {
        if let Move::Close { staff: Some(actor), decimals, .. } = moves[at] {
            audits.push((Some(actor), closed_audit(&p, *decimals)));
        }
        answers[at] = Ok(Done::Row(Box::new(p)));
    }
    laps.closed_us = started.elapsed().as_micros();
    if !audits.is_empty() {
        audit::record_many(tx, audits).await?;
    }
    Ok(answers)
}
