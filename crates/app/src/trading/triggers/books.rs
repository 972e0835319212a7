//! The evaluator's in-memory state: one engine book per symbol holding every open position's
//! stop loss, take profit and trailing stop and every pending order (keyed by position id),
//! the version each position was loaded at (a commit is keyed by id and that version), and
//! which wallets hold open positions on which symbol (the stop-out check of a tick).

use std::collections::{HashMap, HashSet};

use brokercrm_core::trading::positions::{OrderKind, Side as WireSide, Status};
use brokercrm_core::{Error, Result};
use brokercrm_engine::Price;
use brokercrm_engine::Side;
use brokercrm_engine::book::{OrderType, SymbolBook};
use brokercrm_store::repo::trading::positions::PositionRow;
use rust_decimal::Decimal;

use crate::trading::positions::open::leg_side;

/// What the evaluator knows of a position in its books.
#[derive(Debug, Clone)]
pub struct Known {
    pub symbol: String,
    pub wallet_id: i64,
    pub version: i64,
    pub open: bool,
    /// An open position's trailing stop: its side, the markup its raw level carries, and the
    /// stored level (as the position row has it, or as last written back).
    pub trailing: Option<(Side, i64, i64)>,
}

/// Every symbol's book and what was loaded into it.
#[derive(Default)]
pub struct Books {
    pub books: HashMap<String, SymbolBook>,
    pub known: HashMap<i64, Known>,
    /// Open positions per (symbol, wallet).
    holders: HashMap<String, HashMap<i64, usize>>,
}

/// Parts per million of a percentage given as a decimal string ("1.5" → 15000).
fn ppm_of(pct: &str) -> Result<i64> {
    let d: Decimal = pct.parse().map_err(|_| Error::internal("bad trailing percentage"))?;
    i64::try_from(d * Decimal::from(10_000)).map_err(|_| Error::internal("bad trailing percentage"))
}

impl Books {
    pub fn clear(&mut self) {
        *self = Self::default();
    }

    /// Entries in every book.
    pub fn len(&self) -> usize {
        self.books.values().map(SymbolBook::len).sum()
    }

    /// The wallets with open positions on any symbol.
    pub fn holders(&self) -> HashSet<i64> {
        self.holders.values().flat_map(|h| h.keys().copied()).collect()
    }

    /// How many open positions wallet `id` holds in the books.
    pub fn held_by(&self, id: i64) -> usize {
        self.holders.values().filter_map(|h| h.get(&id)).sum()
    }

    /// Whether wallet `id` has open positions on any symbol.
    pub fn holds(&self, id: i64) -> bool {
        self.holders.values().any(|h| h.contains_key(&id))
    }

    /// The wallets with open positions on `symbol`.
    pub fn wallets_on(&self, symbol: &str) -> HashSet<i64> {
        self.holders.get(symbol).map(|h| h.keys().copied().collect()).unwrap_or_default()
    }

    fn forget(&mut self, id: i64) {
        let Some(k) = self.known.remove(&id) else { return };
        let key = u64::try_from(id).unwrap_or_default();
        if let Some(b) = self.books.get_mut(&k.symbol) {
            b.remove_position(key);
            b.remove_order(key);
        }
        if k.open
            && let Some(h) = self.holders.get_mut(&k.symbol)
            && let Some(n) = h.get_mut(&k.wallet_id)
        {
            *n -= 1;
            if *n == 0 {
                h.remove(&k.wallet_id);
            }
        }
    }

    /// The trailing stops whose level moved since it was stored: `(id, version, level)` with
    /// the level as the position row keeps it (the markup taken off again). Each is then
    /// taken as stored.
    pub fn moved_trailing(&mut self) -> Vec<(i64, i64, i64)> {
        let mut out = Vec::new();
        for (id, k) in &mut self.known {
            let Some((side, markup, stored)) = k.trailing.as_mut() else { continue };
            let Some(book) = self.books.get(&k.symbol) else { continue };
            let key = u64::try_from(*id).unwrap_or_default();
            let Some(raw) = book.trailing_level(key, *side) else { continue };
            // An open position's stop sits on the bid when long (raw = level + markup).
            let level =
                if *side == Side::Buy { raw.minor() - *markup } else { raw.minor() + *markup };
            if level != *stored {
                *stored = level;
                out.push((*id, k.version, level));
            }
        }
        out
    }

    /// Drops what the books hold of position `id` (it fired, or must be read again).
    pub fn drop_position(&mut self, id: i64) {
        self.forget(id);
    }

    /// Loads position `p` (newer than what is known) into the books: an open position's
    /// stops, a pending position's order (`kind`: its order's type), nothing for a closed or
    /// cancelled one. `tick` is the symbol's price step, `quote` its latest raw (bid, ask),
    /// `markup` the wallet's group markup in price units: the books run on raw ticks, so a
    /// level on the bid (a buy's stops, a sell order) sits `markup` higher and one on the ask
    /// (a sell's stops, a buy order) `markup` lower — it fires when the marked-up price
    /// reaches the level. Returns whether the wallet's margin may have changed: false when `p`
    /// is not newer than what the books hold, or is closed and was not held.
    pub fn apply(
        &mut self,
        p: &PositionRow,
        kind: Option<OrderKind>,
        tick: i64,
        quote: Option<(Price, Price)>,
        markup: i64,
    ) -> Result<bool> {
        let held = match self.known.get(&p.id) {
            Some(k) if k.version >= p.version => return Ok(false),
            held => held.is_some(),
        };
        self.forget(p.id);
        let id = u64::try_from(p.id).map_err(|_| Error::internal("negative position id"))?;
        let side = leg_side(WireSide::parse("side", &p.side)?);
        let open = p.status == Status::Open.as_str();
        let pending = p.status == Status::Pending.as_str();
        if !open && !pending {
            // Closed or cancelled: news only if the books held it (one they fired, or never
            // loaded, changes nothing here; whoever closed it marked its wallet).
            return Ok(held);
        }
        let book = self.books.entry(p.symbol.clone()).or_insert_with(|| SymbolBook::new(tick));
        // A position closes on the bid when long; an order fills on the bid when selling.
        let on_bid = (side == Side::Buy) == open;
        let raw =
            |level: i64| Price::from_minor(if on_bid { level + markup } else { level - markup });
        let mut trailing = None;
        if open {
            if let Some(sl) = p.stop_loss {
                book.set_stop_loss(id, side, Some(raw(sl)));
            }
            if let Some(tp) = p.take_profit {
                book.set_take_profit(id, side, Some(raw(tp)));
            }
            if let Some(pct) = &p.trailing_pct {
                let stored = p.trailing_stop.map(raw);
                // Without a quote the stored level stands (a price at the level keeps it).
                let (bid, ask) = match (quote, stored) {
                    (Some(q), _) => q,
                    (None, Some(l)) => (l, l),
                    (None, None) => return Err(Error::internal("trailing stop without a price")),
                };
                book.set_trailing(id, side, ppm_of(pct)?, bid, ask, stored);
                trailing = Some((side, markup, p.trailing_stop.unwrap_or(i64::MIN)));
            }
            *self.holders.entry(p.symbol.clone()).or_default().entry(p.wallet_id).or_default() += 1;
        } else {
            let level = p.open_price.ok_or_else(|| Error::internal("pending without a price"))?;
            let ty = match kind {
                Some(OrderKind::Limit) => OrderType::Limit,
                Some(OrderKind::Stop) => OrderType::Stop,
                _ => return Err(Error::internal("pending position without its order")),
            };
            book.set_order(id, side, ty, raw(level));
        }
        self.known.insert(
            p.id,
            Known {
                symbol: p.symbol.clone(),
                wallet_id: p.wallet_id,
                version: p.version,
                open,
                trailing,
            },
        );
        Ok(true)
    }
}
