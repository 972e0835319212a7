//! Prices: the candle intervals of Market Data (`1m 5m 15m 1h 4h 1d 1w 1M`), where a candle of
//! an interval starts (UTC; weeks start on Monday, months on the 1st), and a quote's rules.

use chrono::{DateTime, Datelike, Duration, TimeZone, Utc};

use crate::{Error, Result};

/// A candle interval.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Interval {
    M1,
    M5,
    M15,
    H1,
    H4,
    D1,
    W1,
    Mo1,
}

impl Interval {
    pub const ALL: [Interval; 8] = [
        Interval::M1,
        Interval::M5,
        Interval::M15,
        Interval::H1,
        Interval::H4,
        Interval::D1,
        Interval::W1,
        Interval::Mo1,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Interval::M1 => "1m",
            Interval::M5 => "5m",
            Interval::M15 => "15m",
            Interval::H1 => "1h",
            Interval::H4 => "4h",
            Interval::D1 => "1d",
            Interval::W1 => "1w",
            Interval::Mo1 => "1M",
        }
    }

    /// Parses the wire form exactly (`1M` is a month, `1m` a minute).
    pub fn parse(field: &str, raw: &str) -> Result<Self> {
        Self::ALL
            .into_iter()
            .find(|i| i.as_str() == raw.trim())
            .ok_or_else(|| Error::field(field, "must be one of 1m, 5m, 15m, 1h, 4h, 1d, 1w, 1M"))
    }

    /// The start of the candle holding `t`.
    pub fn start(self, t: DateTime<Utc>) -> DateTime<Utc> {
        let secs = |n: i64| {
            let s = t.timestamp();
            Utc.timestamp_opt(s - s.rem_euclid(n), 0).single().unwrap_or(t)
        };
        match self {
            Interval::M1 => secs(60),
            Interval::M5 => secs(300),
            Interval::M15 => secs(900),
            Interval::H1 => secs(3600),
            Interval::H4 => secs(14_400),
            Interval::D1 => secs(86_400),
            Interval::W1 => {
                let day = secs(86_400);
                day - Duration::days(i64::from(day.weekday().num_days_from_monday()))
            }
            Interval::Mo1 => {
                Utc.with_ymd_and_hms(t.year(), t.month(), 1, 0, 0, 0).single().unwrap_or(t)
            }
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn candle_starts() {
        let t = Utc.with_ymd_and_hms(2026, 12, 4, 23, 47, 31).unwrap();
        let at = |i: Interval| i.start(t).to_rfc3339();
        assert_eq!(at(Interval::M1), "2026-12-04T23:47:00+00:00");
        assert_eq!(at(Interval::M15), "2026-12-04T23:45:00+00:00");
        assert_eq!(at(Interval::H4), "2026-12-04T20:00:00+00:00");
        assert_eq!(at(Interval::W1), "2026-11-30T00:00:00+00:00");
        assert_eq!(at(Interval::Mo1), "2026-12-01T00:00:00+00:00");
        assert_eq!(Interval::parse("interval", "1M").unwrap(), Interval::Mo1);
        assert!(Interval::parse("interval", "2h").is_err());
    }
}
