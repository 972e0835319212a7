//! The built-in price simulator: a seeded random walk per instrument (the same seed gives the
//! same prices, so demos and tests are reproducible). Each step moves the mid by a few
//! multiples of `volatility` (parts per million of the price), on the instrument's price grid,
//! and quotes bid/ask around it with a fixed spread. No clock and no IO: the caller decides
//! when to step (and skips closed trading hours).

use crate::fixed::Price;

/// One instrument's walk.
#[derive(Debug, Clone)]
pub struct Walk {
    state: u64,
    mid: i64,
    spread: i64,
    tick: i64,
    volatility_ppm: i64,
}

impl Walk {
    /// Starts at `mid` (10^-8 units) with `spread` and `tick` in 10^-8 units.
    pub fn new(seed: u64, mid: Price, spread: i64, tick: i64, volatility_ppm: i64) -> Self {
        let tick = tick.max(1);
        Self {
            state: seed ^ 0x9E37_79B9_7F4A_7C15,
            mid: (mid.minor() / tick).max(1) * tick,
            spread: spread.max(0),
            tick,
            volatility_ppm: volatility_ppm.max(0),
        }
    }

    /// splitmix64
    fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// The next quote: `(bid, ask)`.
    pub fn step(&mut self) -> (Price, Price) {
        // a step of −3..=3 units, centred (sum of three draws of −1, 0, 1)
        let mut z: i64 = 0;
        for _ in 0..3 {
            z += i64::try_from(self.next_u64() % 3).unwrap_or(1) - 1;
        }
        let unit = i128::from(self.mid) * i128::from(self.volatility_ppm) / 1_000_000;
        let unit = i64::try_from(unit).unwrap_or(0).max(self.tick);
        let moved = self.mid.saturating_add(z.saturating_mul(unit));
        self.mid = (moved / self.tick).max(1) * self.tick;
        self.quote()
    }

    /// The current quote without moving.
    pub fn quote(&self) -> (Price, Price) {
        let half = (self.spread / 2 / self.tick) * self.tick;
        let bid = (self.mid - half).max(self.tick);
        (Price::from_minor(bid), Price::from_minor(bid + self.spread.max(self.tick)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reproducible_on_the_grid() {
        let mut a = Walk::new(7, Price::from_minor(110_000_000), 2_000, 1_000, 50);
        let mut b = Walk::new(7, Price::from_minor(110_000_000), 2_000, 1_000, 50);
        for _ in 0..1000 {
            let (x, y) = (a.step(), b.step());
            assert_eq!(x, y);
            assert_eq!(x.0.minor() % 1_000, 0);
            assert_eq!(x.1.minor() - x.0.minor(), 2_000);
        }
    }
}
