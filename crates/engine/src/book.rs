//! The trigger book of one symbol: stop losses, take profits, trailing stops, pending limit
//! and stop orders and stop-out thresholds, each in a sorted ladder on the price that decides
//! it (a buy closes at the bid, a sell at the ask; a buy order fills at the ask, a sell at the
//! bid). `on_tick` returns what is due at the tick's price — a gap over a trigger fills at the
//! gap price, never at the stale level — in O(log n + fired).

use std::collections::HashMap;

use crate::fixed::Price;
use crate::ladder::{Fires, Ladder};
use crate::maths::Side;
use crate::trailing::Trailing;

/// What fired.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    StopLoss,
    TakeProfit,
    Trailing,
    /// A pending limit order.
    Limit,
    /// A pending stop order.
    Stop,
    /// An account's stop-out threshold: check it exactly (see [`crate::stopout`]).
    StopOut,
}

/// A pending order's type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OrderType {
    Limit,
    Stop,
}

/// A trigger that is due.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fired {
    pub kind: Kind,
    /// Position id (SL/TP/trailing), order id (limit/stop) or account id (stop-out).
    pub id: u64,
    /// The position's or order's side (for a stop-out: `Buy` when the account is net long).
    pub side: Side,
    /// The trigger level.
    pub level: Price,
    /// The price it executes at: this tick's bid or ask.
    pub price: Price,
}

/// The outcome of one tick.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tick {
    pub fired: Vec<Fired>,
    /// The spread went past the allowance the stop-out thresholds were computed with: every
    /// threshold of the symbol must be computed again (the allowance has been doubled).
    pub rekey_stop_outs: bool,
}

fn code(kind: Kind) -> u64 {
    match kind {
        Kind::StopLoss => 0,
        Kind::TakeProfit => 1,
        Kind::Trailing => 2,
        Kind::Limit => 3,
        Kind::Stop => 4,
        Kind::StopOut => 5,
    }
}

fn key(kind: Kind, side: Side, id: u64) -> u64 {
    (id << 4) | (code(kind) << 1) | u64::from(side == Side::Sell)
}

fn unkey(k: u64) -> (Kind, Side, u64) {
    let kind = match (k >> 1) & 7 {
        0 => Kind::StopLoss,
        1 => Kind::TakeProfit,
        2 => Kind::Trailing,
        3 => Kind::Limit,
        4 => Kind::Stop,
        _ => Kind::StopOut,
    };
    let side = if k & 1 == 1 { Side::Sell } else { Side::Buy };
    (kind, side, k >> 4)
}

/// Every trigger of one symbol. Ids must be below 2^60.
#[derive(Debug, Clone)]
pub struct SymbolBook {
    bid_below: Ladder,
    bid_above: Ladder,
    ask_below: Ladder,
    ask_above: Ladder,
    stop_out_below: Ladder,
    stop_out_above: Ladder,
    trailing: Trailing,
    /// Which ladder keys each position has (to drop the rest when one fires).
    positions: HashMap<u64, Side>,
    spread_allowance: i64,
}

impl SymbolBook {
    /// A book for an instrument whose prices step by `tick` (10^-8 units).
    pub fn new(tick: i64) -> Self {
        Self {
            bid_below: Ladder::new(Fires::AtOrBelow),
            bid_above: Ladder::new(Fires::AtOrAbove),
            ask_below: Ladder::new(Fires::AtOrBelow),
            ask_above: Ladder::new(Fires::AtOrAbove),
            stop_out_below: Ladder::new(Fires::AtOrBelow),
            stop_out_above: Ladder::new(Fires::AtOrAbove),
            trailing: Trailing::new(tick),
            positions: HashMap::new(),
            spread_allowance: 0,
        }
    }

    /// The spread the stop-out thresholds assume (a short is valued at bid + allowance).
    pub fn spread_allowance(&self) -> i64 {
        self.spread_allowance
    }

    pub fn set_spread_allowance(&mut self, a: i64) {
        self.spread_allowance = a.max(0);
    }

    /// Sets (Some) or clears (None) a position's stop loss.
    pub fn set_stop_loss(&mut self, id: u64, side: Side, level: Option<Price>) {
        let k = key(Kind::StopLoss, side, id);
        let ladder = match side {
            Side::Buy => &mut self.bid_below,
            Side::Sell => &mut self.ask_above,
        };
        match level {
            Some(l) => ladder.insert(k, l.minor()),
            None => _ = ladder.remove(k),
        }
        self.positions.insert(id, side);
    }

    /// Sets or clears a position's take profit.
    pub fn set_take_profit(&mut self, id: u64, side: Side, level: Option<Price>) {
        let k = key(Kind::TakeProfit, side, id);
        let ladder = match side {
            Side::Buy => &mut self.bid_above,
            Side::Sell => &mut self.ask_below,
        };
        match level {
            Some(l) => ladder.insert(k, l.minor()),
            None => _ = ladder.remove(k),
        }
        self.positions.insert(id, side);
    }

    /// Sets a trailing stop `ppm` (parts per million) behind the current price, or restores
    /// it at `level`; returns the stop's level.
    pub fn set_trailing(
        &mut self,
        id: u64,
        side: Side,
        ppm: i64,
        bid: Price,
        ask: Price,
        level: Option<Price>,
    ) -> Price {
        let price = if side == Side::Buy { bid } else { ask };
        let l = self.trailing.insert(
            key(Kind::Trailing, side, id),
            side,
            ppm,
            price.minor(),
            level.map(Price::minor),
        );
        self.positions.insert(id, side);
        Price::from_minor(l)
    }

    /// A trailing stop's current level.
    pub fn trailing_level(&self, id: u64, side: Side) -> Option<Price> {
        self.trailing.level(key(Kind::Trailing, side, id)).map(Price::from_minor)
    }

    /// Drops every trigger of a position (closed, or its triggers replaced).
    pub fn remove_position(&mut self, id: u64) {
        let Some(side) = self.positions.remove(&id) else { return };
        self.bid_below.remove(key(Kind::StopLoss, side, id));
        self.ask_above.remove(key(Kind::StopLoss, side, id));
        self.bid_above.remove(key(Kind::TakeProfit, side, id));
        self.ask_below.remove(key(Kind::TakeProfit, side, id));
        self.trailing.remove(key(Kind::Trailing, side, id));
    }

    /// Adds (or moves) a pending order.
    pub fn set_order(&mut self, id: u64, side: Side, ty: OrderType, level: Price) {
        self.remove_order(id);
        let (kind, ladder) = match (side, ty) {
            (Side::Buy, OrderType::Limit) => (Kind::Limit, &mut self.ask_below),
            (Side::Buy, OrderType::Stop) => (Kind::Stop, &mut self.ask_above),
            (Side::Sell, OrderType::Limit) => (Kind::Limit, &mut self.bid_above),
            (Side::Sell, OrderType::Stop) => (Kind::Stop, &mut self.bid_below),
        };
        ladder.insert(key(kind, side, id), level.minor());
    }

    pub fn remove_order(&mut self, id: u64) {
        for side in [Side::Buy, Side::Sell] {
            self.ask_below.remove(key(Kind::Limit, side, id));
            self.ask_above.remove(key(Kind::Stop, side, id));
            self.bid_above.remove(key(Kind::Limit, side, id));
            self.bid_below.remove(key(Kind::Stop, side, id));
        }
    }

    /// Sets an account's stop-out threshold on this symbol: `Buy` (net long) is checked when
    /// the bid falls to `level`, `Sell` when it rises to it. `None` removes it.
    pub fn set_stop_out(&mut self, account: u64, t: Option<(Side, Price)>) {
        self.stop_out_below.remove(key(Kind::StopOut, Side::Buy, account));
        self.stop_out_above.remove(key(Kind::StopOut, Side::Sell, account));
        match t {
            Some((Side::Buy, l)) => {
                self.stop_out_below.insert(key(Kind::StopOut, Side::Buy, account), l.minor())
            }
            Some((Side::Sell, l)) => {
                self.stop_out_above.insert(key(Kind::StopOut, Side::Sell, account), l.minor())
            }
            None => {}
        }
    }

    /// Entries in the book (positions' triggers, orders, stop-out thresholds).
    pub fn len(&self) -> usize {
        self.bid_below.len()
            + self.bid_above.len()
            + self.ask_below.len()
            + self.ask_above.len()
            + self.stop_out_below.len()
            + self.stop_out_above.len()
            + self.trailing.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// A tick: everything due at `bid`/`ask` leaves the book and is returned. A position fires
    /// once (its other triggers are dropped with it).
    pub fn on_tick(&mut self, bid: Price, ask: Price) -> Tick {
        let (b, a) = (bid.minor(), ask.minor());
        let mut due = Vec::new();
        self.bid_below.take_due(b, &mut due);
        self.bid_above.take_due(b, &mut due);
        let bid_end = due.len();
        self.ask_below.take_due(a, &mut due);
        self.ask_above.take_due(a, &mut due);
        let ask_end = due.len();
        self.stop_out_below.take_due(b, &mut due);
        self.stop_out_above.take_due(b, &mut due);
        let so_end = due.len();
        self.trailing.on_tick(b, a, &mut due);
        let mut out = Tick::default();
        for (i, (k, level)) in due.into_iter().enumerate() {
            let (kind, side, id) = unkey(k);
            let price = if i < bid_end || (ask_end..so_end).contains(&i) {
                bid
            } else if i < ask_end {
                ask
            } else if side == Side::Buy {
                bid
            } else {
                ask
            };
            let is_position = matches!(kind, Kind::StopLoss | Kind::TakeProfit | Kind::Trailing);
            if is_position {
                if !self.positions.contains_key(&id) {
                    continue; // already fired by another of its triggers on this tick
                }
                self.remove_position(id);
            }
            out.fired.push(Fired { kind, id, side, level: Price::from_minor(level), price });
        }
        let spread = a.saturating_sub(b);
        if spread > self.spread_allowance {
            self.spread_allowance = spread.saturating_mul(2);
            out.rekey_stop_outs = true;
        }
        out
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn p(x: i64) -> Price {
        Price::from_minor(x)
    }

    #[test]
    fn sl_tp_orders_and_gaps() {
        let mut b = SymbolBook::new(1);
        b.set_stop_loss(1, Side::Buy, Some(p(90)));
        b.set_take_profit(1, Side::Buy, Some(p(120)));
        b.set_stop_loss(2, Side::Sell, Some(p(110)));
        b.set_order(3, Side::Buy, OrderType::Limit, p(95));
        b.set_order(4, Side::Sell, OrderType::Stop, p(92));
        assert!(b.on_tick(p(100), p(101)).fired.is_empty());
        // a gap down to 85: the long's SL and the sell stop fire at the bid 85, the buy limit
        // at the ask 86; the long's TP is gone with it.
        let t = b.on_tick(p(85), p(86));
        let mut got: Vec<_> = t.fired.iter().map(|f| (f.kind, f.id, f.price.minor())).collect();
        got.sort_by_key(|g| g.1);
        assert_eq!(got, vec![(Kind::StopLoss, 1, 85), (Kind::Limit, 3, 86), (Kind::Stop, 4, 85)]);
        assert_eq!(b.len(), 1);
        let t = b.on_tick(p(109), p(110));
        assert_eq!(t.fired.len(), 1);
        assert_eq!(
            (t.fired[0].kind, t.fired[0].id, t.fired[0].side),
            (Kind::StopLoss, 2, Side::Sell)
        );
        assert!(b.is_empty());
    }

    #[test]
    fn one_fire_per_position_and_stop_out() {
        let mut b = SymbolBook::new(1);
        b.set_stop_loss(1, Side::Buy, Some(p(9_950)));
        b.set_trailing(1, Side::Buy, 10_000, p(10_000), p(10_001), None);
        b.set_stop_out(7, Some((Side::Buy, p(9_000))));
        let t = b.on_tick(p(8_000), p(8_001));
        let kinds: Vec<_> = t.fired.iter().map(|f| (f.kind, f.id)).collect();
        assert_eq!(kinds, vec![(Kind::StopLoss, 1), (Kind::StopOut, 7)]);
        assert!(t.rekey_stop_outs);
        assert_eq!(b.spread_allowance(), 2);
        assert!(!b.on_tick(p(8_000), p(8_002)).rekey_stop_outs);
    }
}
