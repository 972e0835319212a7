//! Trading hours: sessions per weekday in the instrument's time zone. Each session is
//! `{"weekday": 0-6 (0 = Sunday), "from": "HH:MM", "to": "HH:MM"}` with `from < to` (`"24:00"`
//! ends a day); several sessions on one day leave breaks between them. No sessions at all
//! means open around the clock (cryptos).

use chrono::{DateTime, Datelike, Timelike, Utc};
use chrono_tz::Tz;
use serde_json::{Value, json};

use crate::{Error, Result, Violations};

/// Most sessions an instrument may have.
const MAX_SESSIONS: usize = 70;

/// One trading session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Session {
    /// 0 = Sunday … 6 = Saturday.
    pub weekday: u8,
    /// Minutes after local midnight, inclusive.
    pub from: u16,
    /// Minutes after local midnight, exclusive (1440 = end of day).
    pub to: u16,
}

/// The sessions and their time zone.
#[derive(Debug, Clone, PartialEq)]
pub struct TradingHours {
    pub sessions: Vec<Session>,
    pub timezone: Tz,
}

fn hhmm(field: &str, v: Option<&Value>) -> Result<u16> {
    let bad = || Error::field(field, "must be a time HH:MM from 00:00 to 24:00");
    let s = v.and_then(Value::as_str).ok_or_else(bad)?;
    let (h, m) = s.split_once(':').ok_or_else(bad)?;
    if h.len() != 2 || m.len() != 2 {
        return Err(bad());
    }
    let (h, m): (u16, u16) = (h.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?);
    let t = h * 60 + m;
    if h > 24 || m > 59 || t > 1440 {
        return Err(bad());
    }
    Ok(t)
}

/// A time zone name (IANA, e.g. `Europe/London`); `None` or blank is UTC.
pub fn timezone(raw: Option<&str>) -> Result<Tz> {
    match raw.map(str::trim) {
        None | Some("") => Ok(Tz::UTC),
        Some(s) => s.parse().map_err(|_| {
            Error::field("timezone", "must be an IANA time zone such as Europe/London")
        }),
    }
}

impl TradingHours {
    /// Parses the seed's `tradingHours` array; each bad item is named (`tradingHours[1].to`).
    pub fn parse(raw: &Value, timezone: Tz) -> Result<Self> {
        let items = raw
            .as_array()
            .ok_or_else(|| Error::field("tradingHours", "must be an array of sessions"))?;
        if items.len() > MAX_SESSIONS {
            return Err(Error::field(
                "tradingHours",
                format!("must have at most {MAX_SESSIONS} sessions"),
            ));
        }
        let mut v = Violations::new();
        let mut sessions = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let f = |k: &str| format!("tradingHours[{i}].{k}");
            let weekday = item.get("weekday").and_then(Value::as_u64).filter(|d| *d <= 6);
            if weekday.is_none() {
                v.push(f("weekday"), "must be a whole number from 0 (Sunday) to 6 (Saturday)");
            }
            let from = v.check(hhmm(&f("from"), item.get("from")));
            let to = v.check(hhmm(&f("to"), item.get("to")));
            if let (Some(d), Some(from), Some(to)) = (weekday, from, to) {
                if from >= to {
                    v.push(f("to"), "must be after from");
                    continue;
                }
                let d = u8::try_from(d).unwrap_or(0);
                let overlaps =
                    sessions.iter().any(|s: &Session| s.weekday == d && s.from < to && from < s.to);
                if overlaps {
                    v.push(f("from"), "overlaps another session of the same day");
                }
                sessions.push(Session { weekday: d, from, to });
            }
        }
        v.finish()?;
        sessions.sort_by_key(|s| (s.weekday, s.from));
        Ok(Self { sessions, timezone })
    }

    /// Whether trading is open at `at`.
    pub fn is_open(&self, at: DateTime<Utc>) -> bool {
        if self.sessions.is_empty() {
            return true;
        }
        let local = at.with_timezone(&self.timezone);
        let day = u8::try_from(local.weekday().num_days_from_sunday()).unwrap_or(0);
        let minute = u16::try_from(local.hour() * 60 + local.minute()).unwrap_or(0);
        self.sessions.iter().any(|s| s.weekday == day && s.from <= minute && minute < s.to)
    }

    /// The wire form (the seed's array of objects).
    pub fn to_json(&self) -> Value {
        let t = |m: u16| format!("{:02}:{:02}", m / 60, m % 60);
        Value::Array(
            self.sessions
                .iter()
                .map(|s| json!({"weekday": s.weekday, "from": t(s.from), "to": t(s.to)}))
                .collect(),
        )
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn sessions_with_a_break_in_new_york() {
        let raw = json!([
            {"weekday": 1, "from": "09:30", "to": "12:00"},
            {"weekday": 1, "from": "13:00", "to": "16:00"}
        ]);
        let h = TradingHours::parse(&raw, timezone(Some("America/New_York")).unwrap()).unwrap();
        // Monday 2026-12-07 14:45 UTC = 09:45 New York
        assert!(h.is_open(Utc.with_ymd_and_hms(2026, 12, 7, 14, 45, 0).unwrap()));
        // 12:30 New York: the break
        assert!(!h.is_open(Utc.with_ymd_and_hms(2026, 12, 7, 17, 30, 0).unwrap()));
        assert!(!h.is_open(Utc.with_ymd_and_hms(2026, 12, 8, 14, 45, 0).unwrap()));
        assert_eq!(h.to_json(), raw);
        let bad = json!([{"weekday": 7, "from": "10:00", "to": "09:00"}]);
        let Err(Error::Validation(f)) = TradingHours::parse(&bad, Tz::UTC) else { panic!() };
        assert_eq!(f[0].field, "tradingHours[0].weekday");
        assert!(TradingHours::parse(&json!([]), Tz::UTC).unwrap().is_open(Utc::now()));
        assert!(timezone(Some("Mars/Base")).is_err());
    }
}
