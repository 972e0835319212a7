//! Following the database: the books rebuilt from the open and pending positions (start or
//! takeover), the positions changed since the last pass read (narrow first, whole only when
//! unseen), and a row loaded into the books.

use std::collections::HashMap;

use brokercrm_core::Result;
use brokercrm_core::trading::positions::{OrderKind, Status};
use brokercrm_engine::Price;
use brokercrm_store::db;
use brokercrm_store::repo::money::wallets;
use brokercrm_store::repo::trading::{orders, positions};
use chrono::{DateTime, Utc};

use super::{CHANGES_PER_PASS, DEEP_EVERY, Evaluator, NEAR_OVERLAP, OVERLAP, READ_CHUNK, Symbol};
use crate::App;

impl Evaluator {
    pub(super) async fn load(
        &mut self,
        app: &App,
        p: &positions::PositionRow,
        kind: Option<OrderKind>,
        symbols: &HashMap<String, Symbol>,
        quotes: &HashMap<String, (Price, Price, DateTime<Utc>)>,
    ) {
        let tick = symbols.get(&p.symbol).map_or(1, |s| s.tick);
        let quote = quotes.get(&p.symbol).map(|&(b, a, _)| (b, a));
        let group = match self.wallet_groups.get(&p.wallet_id) {
            Some(g) => *g,
            None => match wallets::find(app.db().conn(), p.wallet_id).await {
                Ok(w) => {
                    let g = w.and_then(|w| w.group_id);
                    self.wallet_groups.insert(p.wallet_id, g);
                    g
                }
                Err(e) => {
                    tracing::error!(error = ?e, wallet = p.wallet_id, "cannot read wallet");
                    None
                }
            },
        };
        let points = group.and_then(|g| self.markups.get(&g)).map_or(0, |m| m.points(&p.symbol));
        let markup = points.saturating_mul(tick); // a point is one price step
        if p.status != Status::Open.as_str() && p.status != Status::Pending.as_str() {
            self.settled.insert(p.id, (p.version, db::now()));
        }
        match self.books.apply(p, kind, tick, quote, markup) {
            // its margin and equity changed: the wallet gets a new threshold
            Ok(true) => _ = self.dirty.insert(p.wallet_id),
            Ok(false) => {}
            Err(e) => {
                tracing::error!(error = ?e, position = p.id, "trigger evaluator: cannot load")
            }
        }
    }

    /// Start or takeover: the books from the open positions and pending orders alone.
    pub(super) async fn rebuild(
        &mut self,
        app: &App,
        symbols: &HashMap<String, Symbol>,
        quotes: &HashMap<String, (Price, Price, DateTime<Utc>)>,
    ) -> Result<()> {
        let conn = app.db().conn();
        self.books.clear();
        self.reread.clear();
        self.dirty.clear();
        self.rekey.clear();
        self.swept = None; // the first pass screens every wallet
        self.sweep.clear();
        self.sweep_share = 0;
        self.wallet_groups.clear();
        self.settled.clear();
        self.since = Some(db::now());
        for p in positions::with_status(conn, Status::Open.as_str()).await? {
            self.load(app, &p, None, symbols, quotes).await;
        }
        let kinds: HashMap<i64, OrderKind> = orders::pending_all(conn)
            .await?
            .into_iter()
            .filter_map(|o| OrderKind::parse("type", &o.kind).ok().map(|k| (o.position_id, k)))
            .collect();
        for p in positions::with_status(conn, Status::Pending.as_str()).await? {
            self.load(app, &p, kinds.get(&p.id).copied(), symbols, quotes).await;
        }
        tracing::info!(entries = self.books.len(), "trigger evaluator: books rebuilt");
        Ok(())
    }

    /// The positions changed since the last pass, and those to read again (dropped from the
    /// books), with a pending one's order type; the caller loads them.
    pub(super) async fn follow(
        &mut self,
        app: &App,
    ) -> Result<Vec<(positions::PositionRow, Option<OrderKind>)>> {
        let conn = app.db().conn();
        let started = db::now();
        let deep = self.deep_followed.is_none_or(|t| t.elapsed() >= DEEP_EVERY);
        if deep {
            self.deep_followed = Some(std::time::Instant::now());
        }
        let since = self.since.unwrap_or(started) - if deep { OVERLAP } else { NEAR_OVERLAP };
        let changed = positions::changed_since(conn, since, CHANGES_PER_PASS).await?;
        self.since = match changed.last() {
            Some(c) if changed.len() as u64 == CHANGES_PER_PASS => Some(c.updated_at),
            _ => Some(started),
        };
        // The overlap reads the same changes again pass after pass: only rows at a version
        // the books do not hold, and not settled (closed or cancelled) at it, are read whole.
        let horizon = self.since.unwrap_or(started) - OVERLAP - OVERLAP;
        self.settled.retain(|_, (_, at)| *at >= horizon);
        let mut wanted: Vec<i64> = changed
            .into_iter()
            .filter(|c| {
                self.books.known.get(&c.id).is_none_or(|k| k.version < c.version)
                    && self.settled.get(&c.id).is_none_or(|&(v, _)| v < c.version)
            })
            .map(|c| c.id)
            .collect();
        for id in std::mem::take(&mut self.reread) {
            self.books.drop_position(id);
            wanted.push(id);
        }
        wanted.sort_unstable();
        wanted.dedup();
        let mut changed = Vec::with_capacity(wanted.len());
        for chunk in wanted.chunks(READ_CHUNK) {
            changed.extend(positions::find_many(conn, chunk).await?);
        }
        let mut out = Vec::with_capacity(changed.len());
        for p in changed {
            if self.books.known.get(&p.id).is_some_and(|k| k.version >= p.version) {
                continue;
            }
            let kind = if p.status == Status::Pending.as_str() {
                match orders::pending_of(conn, p.id).await? {
                    Some(o) => OrderKind::parse("type", &o.kind).ok(),
                    None => continue,
                }
            } else {
                None
            };
            out.push((p, kind));
        }
        Ok(out)
    }
}
