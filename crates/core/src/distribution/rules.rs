//! Distribution settings as typed values: rotation modes, caps, dedup rules, advertiser kinds
//! and traffic filters, each parsed from what staff send (names the bad field) and from storage.

use chrono::{DateTime, Datelike, Timelike, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use crate::validate::CountryCode;
use crate::{Error, Result, Violations};

macro_rules! wire_enum {
    ($(#[$m:meta])* $name:ident { $($var:ident = $s:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($var),+ }
        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$var),+];
            pub fn as_str(self) -> &'static str { match self { $($name::$var => $s),+ } }
            /// Parses the wire name; an unknown one is a validation error on `field`.
            pub fn parse(field: &str, s: &str) -> Result<Self> {
                match s { $($s => Ok($name::$var),)+ _ => Err(Error::field(
                    field, format!("must be one of: {}", [$($s),+].join(", ")))) }
            }
        }
    };
}

wire_enum!(
    /// How an offer orders its advertisers: by priority (lowest first) or weighted at random.
    RotationMode { Priority = "priority", Weighted = "weighted" }
);
wire_enum!(
    /// The period a cap counts over.
    CapPeriod { Day = "day", Total = "total" }
);
wire_enum!(
    /// What a cap counts: leads the advertiser accepted, or leads it rejected.
    CapKind { Accepted = "accepted", Rejected = "rejected" }
);
wire_enum!(
    /// The lead field a dedup rule compares.
    DedupField { Email = "email", Phone = "phone" }
);
wire_enum!(
    /// Whether a dedup rule compares across all affiliates or within one affiliate's leads.
    DedupScope { Global = "global", Affiliate = "affiliate" }
);
wire_enum!(
    /// How an advertiser receives leads.
    AdvertiserKind {
        InternalCrm = "internal_crm",
        LeadProvider = "lead_provider",
        AffiliateV2 = "affiliate_v2",
        HttpTemplate = "http_template",
    }
);

/// The key of the period a cap counts `at` in: the day in `tz`, or `total`.
pub fn cap_period_key(period: CapPeriod, at: DateTime<Utc>, tz: Tz) -> String {
    match period {
        CapPeriod::Total => "total".to_owned(),
        CapPeriod::Day => at.with_timezone(&tz).format("%Y-%m-%d").to_string(),
    }
}

/// When an advertiser takes traffic: countries, weekdays and hours in a time zone.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TrafficFilter {
    /// Allowed ISO-2 countries; empty: any.
    #[serde(default)]
    pub countries: Vec<String>,
    /// Refused ISO-2 countries (checked after `countries`).
    #[serde(default)]
    pub excluded_countries: Vec<String>,
    /// Allowed ISO weekdays, 1 = Monday .. 7 = Sunday; empty: any.
    #[serde(default)]
    pub weekdays: Vec<u8>,
    /// First allowed hour (0-23), inclusive; with `hourTo`.
    pub hour_from: Option<u8>,
    /// Last allowed hour (0-23), inclusive; may be below `hourFrom` for overnight windows.
    pub hour_to: Option<u8>,
    /// IANA time zone of weekdays and hours; default UTC.
    pub timezone: Option<String>,
}

/// Why a traffic filter refused a lead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FilterMiss {
    Country(String),
    Weekday(u8),
    Hour(u8),
}

impl std::fmt::Display for FilterMiss {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Country(c) => write!(f, "country {c} is not allowed by the traffic filter"),
            Self::Weekday(d) => write!(f, "weekday {d} is not allowed by the traffic filter"),
            Self::Hour(h) => write!(f, "hour {h} is outside the traffic filter's hours"),
        }
    }
}

impl TrafficFilter {
    /// Checks and normalises a filter sent by staff; fields are named under `prefix`.
    pub fn validated(mut self, prefix: &str) -> Result<Self> {
        let mut v = Violations::default();
        let mut countries = Vec::with_capacity(self.countries.len());
        for (i, c) in self.countries.iter().enumerate() {
            if let Some(c) = v.check(CountryCode::parse(&format!("{prefix}.countries[{i}]"), c)) {
                countries.push(c.as_str().to_owned());
            }
        }
        self.countries = countries;
        let mut excluded = Vec::with_capacity(self.excluded_countries.len());
        for (i, c) in self.excluded_countries.iter().enumerate() {
            if let Some(c) =
                v.check(CountryCode::parse(&format!("{prefix}.excludedCountries[{i}]"), c))
            {
                excluded.push(c.as_str().to_owned());
            }
        }
        self.excluded_countries = excluded;
        if self.weekdays.iter().any(|d| !(1..=7).contains(d)) {
            v.push(format!("{prefix}.weekdays"), "weekdays are 1 (Monday) to 7 (Sunday)");
        }
        self.weekdays.sort_unstable();
        self.weekdays.dedup();
        for (name, h) in [("hourFrom", self.hour_from), ("hourTo", self.hour_to)] {
            if h.is_some_and(|h| h > 23) {
                v.push(format!("{prefix}.{name}"), "must be an hour from 0 to 23");
            }
        }
        if self.hour_from.is_some() != self.hour_to.is_some() {
            v.push(format!("{prefix}.hourTo"), "hourFrom and hourTo go together");
        }
        if let Some(tz) = &self.timezone
            && tz.parse::<Tz>().is_err()
        {
            v.push(format!("{prefix}.timezone"), "must be an IANA time zone, e.g. Europe/Berlin");
        }
        v.finish()?;
        Ok(self)
    }

    /// The filter's time zone (UTC when unset or unknown).
    pub fn tz(&self) -> Tz {
        self.timezone.as_deref().and_then(|t| t.parse().ok()).unwrap_or(Tz::UTC)
    }

    /// `Ok` when a lead from `country` at `at` passes; else the first reason it does not.
    pub fn check(
        &self,
        country: Option<&str>,
        at: DateTime<Utc>,
    ) -> std::result::Result<(), FilterMiss> {
        if !self.countries.is_empty() {
            let c = country.unwrap_or("");
            if !self.countries.iter().any(|x| x == c) {
                return Err(FilterMiss::Country(if c.is_empty() {
                    "(none)".into()
                } else {
                    c.into()
                }));
            }
        }
        if let Some(c) = country
            && self.excluded_countries.iter().any(|x| x == c)
        {
            return Err(FilterMiss::Country(c.into()));
        }
        let local = at.with_timezone(&self.tz());
        let day = local.weekday().number_from_monday() as u8;
        if !self.weekdays.is_empty() && !self.weekdays.contains(&day) {
            return Err(FilterMiss::Weekday(day));
        }
        if let (Some(from), Some(to)) = (self.hour_from, self.hour_to) {
            let h = local.hour() as u8;
            let inside = if from <= to { (from..=to).contains(&h) } else { h >= from || h <= to };
            if !inside {
                return Err(FilterMiss::Hour(h));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use chrono::TimeZone;

    fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, min, 0).unwrap()
    }

    #[test]
    fn filter_boundaries_in_the_configured_zone() {
        // 2026-11-23 is a Monday.
        let f = TrafficFilter {
            countries: vec!["DE".into()],
            excluded_countries: vec![],
            weekdays: vec![1, 2, 3, 4, 5],
            hour_from: Some(9),
            hour_to: Some(17),
            timezone: Some("Europe/Berlin".into()),
        }
        .validated("trafficFilter")
        .unwrap();
        // 08:00 UTC = 09:00 Berlin: first allowed hour.
        assert_eq!(f.check(Some("DE"), at(2026, 11, 23, 8, 0)), Ok(()));
        assert_eq!(f.check(Some("DE"), at(2026, 11, 23, 7, 59)), Err(FilterMiss::Hour(8)));
        // 16:59 UTC = 17:59 Berlin: still inside hour 17.
        assert_eq!(f.check(Some("DE"), at(2026, 11, 23, 16, 59)), Ok(()));
        assert_eq!(f.check(Some("DE"), at(2026, 11, 23, 17, 0)), Err(FilterMiss::Hour(18)));
        assert_eq!(
            f.check(Some("FR"), at(2026, 11, 23, 10, 0)),
            Err(FilterMiss::Country("FR".into()))
        );
        assert_eq!(
            f.check(None, at(2026, 11, 23, 10, 0)),
            Err(FilterMiss::Country("(none)".into()))
        );
        // Saturday.
        assert_eq!(f.check(Some("DE"), at(2026, 11, 28, 10, 0)), Err(FilterMiss::Weekday(6)));
        let no_de = TrafficFilter { excluded_countries: vec!["de".into()], ..Default::default() }
            .validated("trafficFilter")
            .unwrap();
        assert_eq!(
            no_de.check(Some("DE"), at(2026, 11, 23, 8, 0)),
            Err(FilterMiss::Country("DE".into()))
        );
        assert_eq!(no_de.check(Some("FR"), at(2026, 11, 23, 8, 0)), Ok(()));
        assert_eq!(no_de.check(None, at(2026, 11, 23, 8, 0)), Ok(()));
        // Sunday 23:30 UTC is Monday 00:30 in Berlin — weekday ok, hour not.
        assert_eq!(f.check(Some("DE"), at(2026, 11, 22, 23, 30)), Err(FilterMiss::Hour(0)));
    }

    #[test]
    fn overnight_hours_wrap() {
        let f = TrafficFilter { hour_from: Some(22), hour_to: Some(2), ..Default::default() };
        assert!(f.check(None, at(2026, 1, 1, 23, 0)).is_ok());
        assert!(f.check(None, at(2026, 1, 1, 2, 59)).is_ok());
        assert!(f.check(None, at(2026, 1, 1, 3, 0)).is_err());
    }

    #[test]
    fn validation_names_fields() {
        let e = TrafficFilter {
            countries: vec!["XX".into()],
            excluded_countries: vec![],
            weekdays: vec![0],
            hour_from: Some(24),
            hour_to: None,
            timezone: Some("Mars/Base".into()),
        }
        .validated("trafficFilter")
        .unwrap_err();
        let s = format!("{e:?}");
        for f in [
            "trafficFilter.countries[0]",
            "trafficFilter.weekdays",
            "trafficFilter.hourFrom",
            "trafficFilter.timezone",
        ] {
            assert!(s.contains(f), "{f} missing in {s}");
        }
    }

    #[test]
    fn day_caps_roll_over_at_local_midnight() {
        let tz: Tz = "America/New_York".parse().unwrap();
        assert_eq!(cap_period_key(CapPeriod::Day, at(2026, 11, 22, 4, 59), tz), "2026-11-21");
        assert_eq!(cap_period_key(CapPeriod::Day, at(2026, 11, 22, 5, 0), tz), "2026-11-22");
        assert_eq!(cap_period_key(CapPeriod::Total, at(2026, 11, 22, 5, 0), tz), "total");
        assert!(CapKind::parse("kind", "bogus").is_err());
    }
}
