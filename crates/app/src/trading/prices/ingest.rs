//! Storing ticks: per symbol in time order, a tick not newer than the symbol's stored quote
//! (out of order, or replayed) or older than [`MAX_AGE`] (stale) is dropped; the rest move the
//! quote and the candles of every interval, in one transaction. Candles are on the bid.
//! Once it commits, the new quotes go to this process's live streams ([`QuotesStored`]) and
//! every accepted tick, in order, to the trigger evaluator ([`TicksStored`]).

use std::collections::{BTreeMap, HashMap};

use brokercrm_core::Result;
use brokercrm_core::trading::prices::Interval;
use brokercrm_engine::Price;
use brokercrm_store::repo::trading::prices::{self as repo, CandleRow, QuoteRow};
use chrono::{DateTime, Duration, Utc};

use super::feed::Tick;
use crate::App;
use crate::platform::after_commit::Notice;

/// Ticks older than this when they arrive are stale.
pub const MAX_AGE: Duration = Duration::seconds(60);

/// The quotes a batch moved, announced after its commit (`platform::after_commit`): per
/// symbol the newest accepted tick, raw (no group markup).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuotesStored {
    pub quotes: Vec<Tick>,
}

impl Notice for QuotesStored {}

/// Every tick a batch accepted, per symbol in time order, announced after its commit: the
/// trigger evaluator runs each through its books, so a stop touched between two of its passes
/// still fires (at the price that touched it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TicksStored {
    pub ticks: Vec<Tick>,
}

impl Notice for TicksStored {}

/// What became of a batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Ingested {
    pub accepted: usize,
    /// Out of order, replayed or stale.
    pub dropped: usize,
}

fn add(candles: &mut HashMap<(String, Interval, DateTime<Utc>), CandleRow>, t: &Tick) {
    for i in Interval::ALL {
        let start = i.start(t.at);
        let p = t.bid.minor();
        candles
            .entry((t.symbol.clone(), i, start))
            .and_modify(|c| {
                c.high = c.high.max(p);
                c.low = c.low.min(p);
                c.close = p;
                c.ticks += 1;
            })
            .or_insert_with(|| CandleRow {
                symbol: t.symbol.clone(),
                interval: i.as_str().to_owned(),
                open_time: start,
                open: p,
                high: p,
                low: p,
                close: p,
                ticks: 1,
            });
    }
}

/// Stores `ticks` from `source` (prices already validated by the caller).
pub async fn ingest(app: &App, source: &str, ticks: Vec<Tick>) -> Result<Ingested> {
    let now = app.clock().now();
    let mut by_symbol: BTreeMap<String, Vec<Tick>> = BTreeMap::new();
    for t in ticks {
        by_symbol.entry(t.symbol.clone()).or_default().push(t);
    }
    let tx = app.db().begin_write().await?;
    let mut out = Ingested::default();
    let (mut quotes, mut candles, mut accepted) = (Vec::new(), HashMap::new(), Vec::new());
    for (symbol, mut list) in by_symbol {
        list.sort_by_key(|t| t.at);
        let mut last = repo::quote(&tx, &symbol).await?.map(|q| q.quoted_at);
        let mut newest = None;
        for t in list {
            let fresh = t.at >= now - MAX_AGE && last.is_none_or(|l| t.at > l);
            if !fresh {
                out.dropped += 1;
                continue;
            }
            last = Some(t.at);
            add(&mut candles, &t);
            accepted.push(t.clone());
            newest = Some(t);
            out.accepted += 1;
        }
        if let Some(t) = newest {
            quotes.push(QuoteRow {
                symbol,
                bid: t.bid.minor(),
                ask: t.ask.minor(),
                source: source.to_owned(),
                quoted_at: t.at,
            });
        }
    }
    let stored = quotes
        .iter()
        .map(|q| Tick {
            symbol: q.symbol.clone(),
            bid: Price::from_minor(q.bid),
            ask: Price::from_minor(q.ask),
            at: q.quoted_at,
        })
        .collect::<Vec<_>>();
    repo::upsert_quotes(&tx, quotes).await?;
    repo::upsert_candles(&tx, candles.into_values().collect()).await?;
    let mut after = app.bus().pending();
    if !stored.is_empty() {
        after.push(QuotesStored { quotes: stored });
        after.push(TicksStored { ticks: accepted });
    }
    after.commit(tx).await?;
    if out.accepted > 0 {
        app.ticked().notify_one();
    }
    Ok(out)
}
