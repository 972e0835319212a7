//! Loyalty levels and their monthly retention rule. A level is reached by the coins earned in
//! one calendar month (UTC) and is held until the end of the following month; to keep it
//! longer a customer earns its requirement again in the current month. Higher levels add an
//! exchange bonus, and from Gold up exchanged coins are paid as real money (wallet balance)
//! rather than as credit.

use chrono::{DateTime, Datelike, TimeZone, Utc};

/// One loyalty level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LoyaltyLevel {
    pub level: u8,
    pub name: &'static str,
    /// Coins to earn within one calendar month to reach (and to retain) the level.
    pub coins_required: i64,
    /// Extra dollars on an exchange, in hundredths of a percent.
    pub exchange_bonus_bp: i64,
    /// Exchanged coins go to the wallet's balance (true) or its credit (false).
    pub real_money: bool,
}

const fn level(
    level: u8,
    name: &'static str,
    coins_required: i64,
    exchange_bonus_bp: i64,
    real_money: bool,
) -> LoyaltyLevel {
    LoyaltyLevel { level, name, coins_required, exchange_bonus_bp, real_money }
}

/// The levels, lowest first. Level 0 needs nothing and is always held.
pub const LEVELS: [LoyaltyLevel; 4] = [
    level(0, "Bronze", 0, 0, false),
    level(1, "Silver", 1_000, 500, false),
    level(2, "Gold", 5_000, 1_000, true),
    level(3, "Platinum", 20_000, 2_000, true),
];

/// Where a customer stands in a month.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Standing {
    pub level: LoyaltyLevel,
    pub total_coins_month: i64,
    /// The start of the month whose earnings gave the level.
    pub awarded_at: DateTime<Utc>,
    /// The level lapses at this instant unless earned again.
    pub valid_until: DateTime<Utc>,
    /// Coins still to earn this month to hold the level through next month.
    pub coins_required_to_retain: i64,
    /// Coins still to earn this month to reach the next level (0 at the top).
    pub coins_until_next_level: i64,
}

/// The highest level `coins` earned in one month reaches.
pub fn level_for(coins: i64) -> LoyaltyLevel {
    LEVELS.iter().rev().find(|l| coins >= l.coins_required).copied().unwrap_or(LEVELS[0])
}

/// The first instant of the month of `at`, and of the months `shift` later (or earlier).
pub fn month_start(at: DateTime<Utc>, shift: i32) -> DateTime<Utc> {
    let months = at.year() * 12 + at.month0() as i32 + shift;
    let (y, m) = (months.div_euclid(12), months.rem_euclid(12) as u32 + 1);
    Utc.with_ymd_and_hms(y, m, 1, 0, 0, 0).single().unwrap_or(at)
}

/// The standing at `now`, from the coins earned this month and in the previous month.
pub fn standing(now: DateTime<Utc>, this_month: i64, previous_month: i64) -> Standing {
    let (this, prev) = (level_for(this_month), level_for(previous_month));
    let (level, awarded_at, valid_until) = if this.level >= prev.level {
        (this, month_start(now, 0), month_start(now, 2))
    } else {
        (prev, month_start(now, -1), month_start(now, 1))
    };
    let next = LEVELS.iter().find(|l| l.level > level.level);
    Standing {
        level,
        total_coins_month: this_month,
        awarded_at,
        valid_until,
        coins_required_to_retain: (level.coins_required - this_month).max(0),
        coins_until_next_level: next.map_or(0, |n| (n.coins_required - this_month).max(0)),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    #[test]
    fn a_level_earned_last_month_holds_until_this_month_ends() {
        let now = at("2026-03-15T10:00:00Z");
        let s = standing(now, 200, 6_000);
        assert_eq!(s.level.name, "Gold");
        assert_eq!(s.awarded_at, at("2026-02-01T00:00:00Z"));
        assert_eq!(s.valid_until, at("2026-04-01T00:00:00Z"));
        assert_eq!(s.coins_required_to_retain, 4_800);
        assert_eq!(s.coins_until_next_level, 19_800);
    }

    #[test]
    fn a_level_earned_this_month_holds_through_next_month() {
        let s = standing(at("2026-12-31T23:59:59Z"), 1_000, 0);
        assert_eq!(s.level.name, "Silver");
        assert_eq!(s.awarded_at, at("2026-12-01T00:00:00Z"));
        assert_eq!(s.valid_until, at("2027-02-01T00:00:00Z"));
        assert_eq!(s.coins_required_to_retain, 0);
        assert_eq!(standing(at("2026-01-05T00:00:00Z"), 0, 0).level.level, 0);
        assert_eq!(standing(at("2026-01-05T00:00:00Z"), 25_000, 0).coins_until_next_level, 0);
    }
}
