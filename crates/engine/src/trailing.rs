//! Trailing stops. A long's trailing stop sits `pct` below the best bid since it was placed
//! and fires when the bid falls to it; a short's sits `pct` above the best ask. Entries are
//! grouped by (side, pct); inside a group they are buckets sorted by stop level. A new best
//! price lifts every bucket behind the new stop into ONE bucket at that stop (they now share
//! it), so a tick costs O(log n + fired + buckets merged) per group, and a bucket once merged
//! never splits: the total merge work is bounded by the insertions (smaller bucket moved into
//! the larger).

use std::collections::{BTreeMap, HashMap, HashSet};

use crate::maths::Side;

/// Parts per million of a price (1 % = 10,000).
pub const PPM: i64 = 1_000_000;

#[derive(Debug, Default, Clone)]
struct Group {
    /// level → bucket id
    levels: BTreeMap<i64, usize>,
    buckets: Vec<(i64, HashSet<u64>)>,
    free: Vec<usize>,
    at: HashMap<u64, usize>,
}

impl Group {
    fn bucket_at(&mut self, level: i64) -> usize {
        if let Some(b) = self.levels.get(&level) {
            return *b;
        }
        let b = match self.free.pop() {
            Some(b) => b,
            None => {
                self.buckets.push((level, HashSet::new()));
                self.buckets.len() - 1
            }
        };
        if let Some(slot) = self.buckets.get_mut(b) {
            slot.0 = level;
        }
        self.levels.insert(level, b);
        b
    }

    fn insert(&mut self, key: u64, level: i64) {
        self.remove(key);
        let b = self.bucket_at(level);
        if let Some(slot) = self.buckets.get_mut(b) {
            slot.1.insert(key);
        }
        self.at.insert(key, b);
    }

    fn remove(&mut self, key: u64) -> Option<i64> {
        let b = self.at.remove(&key)?;
        let slot = self.buckets.get_mut(b)?;
        slot.1.remove(&key);
        let level = slot.0;
        if slot.1.is_empty() {
            self.levels.remove(&level);
            self.free.push(b);
        }
        Some(level)
    }

    fn level(&self, key: u64) -> Option<i64> {
        self.at.get(&key).and_then(|b| self.buckets.get(*b)).map(|s| s.0)
    }

    /// Takes out the bucket `b` (already unlinked from `levels`), emptying it.
    fn drain(&mut self, b: usize) -> HashSet<u64> {
        self.free.push(b);
        self.buckets.get_mut(b).map(|s| std::mem::take(&mut s.1)).unwrap_or_default()
    }

    fn fire(&mut self, long: bool, price: i64, out: &mut Vec<(u64, i64)>) {
        loop {
            let next = if long {
                self.levels.last_key_value().filter(|(l, _)| price <= **l)
            } else {
                self.levels.first_key_value().filter(|(l, _)| price >= **l)
            };
            let Some((&level, &b)) = next else { break };
            self.levels.remove(&level);
            for key in self.drain(b) {
                self.at.remove(&key);
                out.push((key, level));
            }
        }
    }

    /// Moves every bucket behind `stop` to `stop` (merging them).
    fn trail(&mut self, long: bool, stop: i64) {
        let mut merged: Option<usize> = None;
        loop {
            let next = if long {
                self.levels.first_key_value().filter(|(l, _)| **l < stop)
            } else {
                self.levels.last_key_value().filter(|(l, _)| **l > stop)
            };
            let Some((&level, &b)) = next else { break };
            self.levels.remove(&level);
            merged = Some(match merged {
                None => b,
                Some(m) => self.merge(m, b),
            });
        }
        let Some(m) = merged else { return };
        match self.levels.get(&stop).copied() {
            Some(existing) => {
                let kept = self.merge(existing, m);
                self.levels.insert(stop, kept);
                if let Some(s) = self.buckets.get_mut(kept) {
                    s.0 = stop;
                }
            }
            None => {
                if let Some(s) = self.buckets.get_mut(m) {
                    s.0 = stop;
                }
                self.levels.insert(stop, m);
            }
        }
    }

    /// Merges buckets `a` and `b` (smaller into larger); returns the survivor.
    fn merge(&mut self, a: usize, b: usize) -> usize {
        let size = |g: &Self, x: usize| g.buckets.get(x).map_or(0, |s| s.1.len());
        let (big, small) = if size(self, a) >= size(self, b) { (a, b) } else { (b, a) };
        let moved = self.drain(small);
        for key in &moved {
            self.at.insert(*key, big);
        }
        if let Some(s) = self.buckets.get_mut(big) {
            s.1.extend(moved);
        }
        big
    }
}

/// Every trailing stop of one symbol.
#[derive(Debug, Default, Clone)]
pub struct Trailing {
    groups: HashMap<(bool, i64), Group>,
    of: HashMap<u64, (bool, i64)>,
    tick: i64,
}

/// The stop `ppm` behind `price`, on the instrument's price grid (`tick`), never nearer.
pub fn stop_behind(long: bool, price: i64, ppm: i64, tick: i64) -> i64 {
    let tick = i128::from(tick.max(1));
    let raw = if long {
        i128::from(price) * i128::from(PPM - ppm)
    } else {
        i128::from(price) * i128::from(PPM + ppm)
    };
    let unit = i128::from(PPM) * tick;
    let q = raw.div_euclid(unit) + i128::from(!long && raw.rem_euclid(unit) != 0);
    i64::try_from(q * tick).unwrap_or(if long { i64::MIN } else { i64::MAX })
}

impl Trailing {
    pub fn new(tick: i64) -> Self {
        Self { tick: tick.max(1), ..Self::default() }
    }

    /// Places a trailing stop `ppm` behind `price` (the bid for a buy, the ask for a sell), or
    /// at `level` when given (restored from the database); returns its level.
    pub fn insert(
        &mut self,
        key: u64,
        side: Side,
        ppm: i64,
        price: i64,
        level: Option<i64>,
    ) -> i64 {
        self.remove(key);
        let long = side == Side::Buy;
        let stop = stop_behind(long, price, ppm, self.tick);
        let level = match level {
            Some(l) if long => l.max(stop),
            Some(l) => l.min(stop),
            None => stop,
        };
        self.groups.entry((long, ppm)).or_default().insert(key, level);
        self.of.insert(key, (long, ppm));
        level
    }

    pub fn remove(&mut self, key: u64) -> Option<i64> {
        let g = self.of.remove(&key)?;
        self.groups.get_mut(&g)?.remove(key)
    }

    pub fn level(&self, key: u64) -> Option<i64> {
        let g = self.of.get(&key)?;
        self.groups.get(g)?.level(key)
    }

    pub fn len(&self) -> usize {
        self.of.len()
    }

    pub fn is_empty(&self) -> bool {
        self.of.is_empty()
    }

    /// A tick: fires what is due (into `out` as `(key, stop level)`), then trails the rest.
    pub fn on_tick(&mut self, bid: i64, ask: i64, out: &mut Vec<(u64, i64)>) {
        let start = out.len();
        for (&(long, ppm), g) in &mut self.groups {
            let price = if long { bid } else { ask };
            g.fire(long, price, out);
            g.trail(long, stop_behind(long, price, ppm, self.tick));
        }
        for (key, _) in out.iter().skip(start) {
            self.of.remove(key);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trails_then_fires() {
        let mut t = Trailing::new(1);
        // 1 % behind a bid of 10000: 9900.
        assert_eq!(t.insert(1, Side::Buy, 10_000, 10_000, None), 9_900);
        assert_eq!(t.insert(2, Side::Buy, 10_000, 10_100, None), 9_999);
        assert_eq!(t.insert(3, Side::Sell, 10_000, 10_000, None), 10_100);
        let mut out = Vec::new();
        // the longs trail to 10098 (merged); the short's 10100 is reached by the ask 10202.
        t.on_tick(10_200, 10_202, &mut out);
        assert_eq!(out, vec![(3, 10_100)]);
        assert_eq!(t.level(1), Some(10_098));
        let mut out = Vec::new();
        t.on_tick(10_300, 10_301, &mut out);
        assert!(out.is_empty());
        assert_eq!(t.level(1), Some(10_197));
        assert_eq!(t.level(2), Some(10_197));
        assert_eq!(t.remove(2), Some(10_197));
        let mut out = Vec::new();
        t.on_tick(10_197, 10_198, &mut out);
        assert_eq!(out, vec![(1, 10_197)]);
        assert!(t.is_empty());
    }

    #[test]
    fn rounds_away_from_the_price() {
        assert_eq!(stop_behind(true, 10_005, 10_000, 10), 9_900);
        assert_eq!(stop_behind(false, 10_005, 10_000, 10), 10_110);
    }
}
