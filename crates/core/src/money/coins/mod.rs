//! Coins (seed tag Coins): loyalty coins a customer earns and exchanges for wallet money in
//! fixed lots. A customer's coins are a ledger account in the pseudo-currency `COINS` (one
//! coin = one unit), so the balance is exact and never negative; the loyalty levels and
//! their monthly retention rule live in [`loyalty`].

pub mod loyalty;

pub use loyalty::{LEVELS, LoyaltyLevel, Standing, standing};

use crate::{Currency, Error, Money, Result};

/// The pseudo-currency of coin accounts.
pub const COINS: Currency = Currency::COINS;

/// The lots a customer may exchange at once.
pub const EXCHANGE_LOTS: [i64; 5] = [300, 600, 1200, 2400, 4800];

/// A lot of [`EXCHANGE_LOTS`]; anything else is an error on `field`.
pub fn exchange_lot(field: &str, coins: i64) -> Result<i64> {
    if EXCHANGE_LOTS.contains(&coins) {
        Ok(coins)
    } else {
        Err(Error::field(field, "must be one of 300, 600, 1200, 2400, 4800"))
    }
}

/// A whole number of coins as ledger money (one coin = one unit); errors name `field`.
pub fn coins_money(field: &str, coins: i64) -> Result<Money> {
    if coins <= 0 {
        return Err(Error::field(field, "must be a whole number of coins above zero"));
    }
    Money::from_units(coins).ok_or_else(|| Error::field(field, "is too large"))
}

/// Whole coins of a coin account's balance (sub-unit amounts never occur).
pub fn whole_coins(m: Money) -> i64 {
    m.minor() / crate::money::amount::UNIT
}

/// The coin settings: whether exchange is open and the dollar value of one coin.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CoinSettings {
    pub coins_enabled: bool,
    pub dollars_per_coin: Money,
}

impl Default for CoinSettings {
    fn default() -> Self {
        Self { coins_enabled: false, dollars_per_coin: Money::from_minor(1_000_000) }
    }
}

impl CoinSettings {
    /// Validates: the dollar value of a coin is above zero and at most 1000.
    pub fn new(coins_enabled: bool, dollars_per_coin: Money) -> Result<Self> {
        let max = Money::from_units(1000).unwrap_or(Money::MAX);
        if !dollars_per_coin.is_positive() || dollars_per_coin > max {
            return Err(Error::field("dollarsPerCoin", "must be above 0 and at most 1000"));
        }
        Ok(Self { coins_enabled, dollars_per_coin })
    }

    /// The dollars paid for `coins` at `level`: coins × dollars per coin, plus the level's
    /// exchange bonus, rounded down to 10^-8 once. `None` on overflow.
    pub fn dollars_for(&self, coins: i64, level: &LoyaltyLevel) -> Option<Money> {
        let base = i128::from(self.dollars_per_coin.minor()).checked_mul(i128::from(coins))?;
        let with_bonus = base.checked_mul(i128::from(10_000 + level.exchange_bonus_bp))? / 10_000;
        i64::try_from(with_bonus).ok().map(Money::from_minor)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn only_the_fixed_lots_exchange() {
        for ok in EXCHANGE_LOTS {
            assert_eq!(exchange_lot("amount", ok).unwrap(), ok);
        }
        for bad in [0, 1, 299, 301, 9600, -300] {
            assert!(exchange_lot("amount", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn dollars_are_exact_with_the_level_bonus() {
        let s = CoinSettings::new(true, Money::parse("d", "0.0133").unwrap()).unwrap();
        assert_eq!(s.dollars_for(300, &LEVELS[0]), Money::parse("d", "3.99").ok());
        // Silver adds 5 %: 3.99 × 1.05 = 4.1895.
        assert_eq!(s.dollars_for(300, &LEVELS[1]), Money::parse("d", "4.1895").ok());
        assert!(CoinSettings::new(true, Money::ZERO).is_err());
    }
}
