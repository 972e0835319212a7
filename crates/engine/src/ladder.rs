//! A ladder: one side of a trigger book, entries sorted by trigger level. A tick takes the due
//! entries from one end (`pop_first`/`pop_last`), so finding what fired costs O(log n + fired)
//! and an entry that is not due is never looked at.

use std::collections::{BTreeSet, HashMap};

/// When an entry of the ladder fires, against the watched price.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fires {
    /// price ≤ level (a long's stop loss watched on the bid, a sell stop, a short's take
    /// profit or a buy limit on the ask).
    AtOrBelow,
    /// price ≥ level (a long's take profit or a sell limit on the bid, a short's stop loss or
    /// a buy stop on the ask).
    AtOrAbove,
}

/// Entries keyed by a caller's `u64`, each at one level (10^-8 price units).
#[derive(Debug, Clone)]
pub struct Ladder {
    fires: Fires,
    set: BTreeSet<(i64, u64)>,
    index: HashMap<u64, i64>,
}

impl Ladder {
    pub fn new(fires: Fires) -> Self {
        Self { fires, set: BTreeSet::new(), index: HashMap::new() }
    }

    /// Puts `key` at `level`, replacing its previous level.
    pub fn insert(&mut self, key: u64, level: i64) {
        if let Some(old) = self.index.insert(key, level) {
            self.set.remove(&(old, key));
        }
        self.set.insert((level, key));
    }

    /// Removes `key`; returns its level.
    pub fn remove(&mut self, key: u64) -> Option<i64> {
        let level = self.index.remove(&key)?;
        self.set.remove(&(level, key));
        Some(level)
    }

    pub fn level(&self, key: u64) -> Option<i64> {
        self.index.get(&key).copied()
    }

    pub fn len(&self) -> usize {
        self.index.len()
    }

    pub fn is_empty(&self) -> bool {
        self.index.is_empty()
    }

    /// Takes every entry due at `price` out of the ladder, into `out` as `(key, level)`.
    pub fn take_due(&mut self, price: i64, out: &mut Vec<(u64, i64)>) {
        loop {
            let next = match self.fires {
                Fires::AtOrAbove => self.set.first().filter(|(l, _)| price >= *l),
                Fires::AtOrBelow => self.set.last().filter(|(l, _)| price <= *l),
            };
            let Some(&(level, key)) = next else { break };
            self.set.remove(&(level, key));
            self.index.remove(&key);
            out.push((key, level));
        }
    }

    /// The level nearest to firing, if any.
    pub fn nearest(&self) -> Option<i64> {
        match self.fires {
            Fires::AtOrAbove => self.set.first().map(|(l, _)| *l),
            Fires::AtOrBelow => self.set.last().map(|(l, _)| *l),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn takes_only_due_entries() {
        let mut l = Ladder::new(Fires::AtOrBelow);
        for (k, lvl) in [(1, 100), (2, 105), (3, 110), (4, 95)] {
            l.insert(k, lvl);
        }
        l.insert(4, 120); // moved
        let mut out = Vec::new();
        l.take_due(106, &mut out);
        assert_eq!(out, vec![(4, 120), (3, 110)]);
        assert_eq!(l.len(), 2);
        out.clear();
        let mut a = Ladder::new(Fires::AtOrAbove);
        a.insert(7, 100);
        a.insert(8, 101);
        a.take_due(100, &mut out);
        assert_eq!(out, vec![(7, 100)]);
        assert_eq!(a.remove(8), Some(101));
        assert!(a.is_empty());
    }
}
