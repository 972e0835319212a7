//! Swap rules: the rollover day a run charges, the days a position owes (open over their
//! rollover, after its fence, within the catch-up window), how many nights a day counts for
//! (the instrument's triple day), and the points a side pays. See docs/trading.md ("Swaps").

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use rust_decimal::Decimal;

use super::instruments::SwapMode;
use super::positions::Side;

/// The trading day the last rollover (00:00 UTC) ended: yesterday in UTC.
pub fn last_rollover_day(now: DateTime<Utc>) -> NaiveDate {
    now.date_naive() - Duration::days(1)
}

/// The instant day `day` rolls over (the next midnight, UTC): a position opened before it
/// and still open is charged for `day`.
pub fn rollover_at(day: NaiveDate) -> DateTime<Utc> {
    (day + Duration::days(1)).and_hms_opt(0, 0, 0).unwrap_or_default().and_utc()
}

/// Rollover days owed at once: when no rollover job ran over a midnight (the service was
/// down) or a position closed before the job ran, its swaps are charged up to this many days
/// back in all (the last rollover day included), each as its own transfer and in day order.
pub const CATCH_UP_DAYS: i64 = 7;

/// The rollover days up to `last` (oldest first, at most [`CATCH_UP_DAYS`]) that a position
/// opened at `opened_at` was open over at their rollover and has not been charged for: after
/// `fence`, the last day it was charged (its `swap_date`, `YYYY-MM-DD`).
pub fn due_days(
    opened_at: Option<DateTime<Utc>>,
    fence: Option<&str>,
    last: NaiveDate,
) -> Vec<NaiveDate> {
    (0..CATCH_UP_DAYS)
        .rev()
        .map(|back| last - Duration::days(back))
        .filter(|d| opened_at.is_some_and(|o| o < rollover_at(*d)))
        .filter(|d| fence.is_none_or(|done| d.to_string().as_str() > done))
        .collect()
}

/// Nights a rollover of `day` charges. Without a triple day (`None`) every day counts once
/// (an instrument trading all week); with one, that weekday counts three times (it carries
/// the weekend) and Saturdays and Sundays count nothing, unless the triple day is one of
/// them (then it counts three times and the other weekend day nothing).
pub fn nights(day: NaiveDate, triple: Option<u8>) -> u32 {
    let wd = u8::try_from(day.weekday().num_days_from_sunday()).unwrap_or_default();
    match triple {
        None => 1,
        Some(t) if t == wd => 3,
        Some(_) if wd == 0 || wd == 6 => 0,
        Some(_) => 1,
    }
}

/// The points per lot and night a `side` position pays (negative) or earns (positive):
/// swapLong for a buy, swapShort for a sell; none when swaps are DISABLED.
pub fn points(mode: SwapMode, side: Side, long: Decimal, short: Decimal) -> Option<Decimal> {
    match (mode, side) {
        (SwapMode::Disabled, _) => None,
        (SwapMode::Points, Side::Buy) => Some(long),
        (SwapMode::Points, Side::Sell) => Some(short),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn a_week_with_a_wednesday_triple_counts_seven_nights() {
        // 2024-06-02 is a Sunday.
        let week: Vec<u32> =
            (0..7).map(|i| nights(d("2024-06-02") + Duration::days(i), Some(3))).collect();
        assert_eq!(week, vec![0, 1, 1, 3, 1, 1, 0]);
        assert_eq!(week.iter().sum::<u32>(), 7);
        assert_eq!(nights(d("2024-06-08"), None), 1);
    }

    #[test]
    fn days_and_sides() {
        let now: DateTime<Utc> = "2024-06-05T00:00:05Z".parse().unwrap();
        assert_eq!(last_rollover_day(now), d("2024-06-04"));
        assert_eq!(rollover_at(d("2024-06-04")).to_rfc3339(), "2024-06-05T00:00:00+00:00");
        let (l, s) = (Decimal::new(-65, 1), Decimal::new(12, 1));
        assert_eq!(points(SwapMode::Points, Side::Sell, l, s), Some(s));
        assert_eq!(points(SwapMode::Disabled, Side::Buy, l, s), None);
    }

    #[test]
    fn days_owed_after_the_fence_within_the_window() {
        let at = |s: &str| Some(s.parse::<DateTime<Utc>>().unwrap());
        let last = d("2024-06-10");
        // opened before the rollover of the 8th (midnight of the 9th), charged up to the 8th
        let owed = due_days(at("2024-06-08T23:59:59Z"), Some("2024-06-08"), last);
        assert_eq!(owed, vec![d("2024-06-09"), d("2024-06-10")]);
        // opened after the last rollover: nothing
        assert!(due_days(at("2024-06-11T00:00:00Z"), None, last).is_empty());
        // never charged, opened long ago: the window's seven days, oldest first
        let all = due_days(at("2024-01-01T00:00:00Z"), None, last);
        assert_eq!((all.len(), all[0], all[6]), (7, d("2024-06-04"), last));
        assert!(due_days(None, None, last).is_empty());
    }
}
