//! Subscription end dates of "Activate subscription v2": ISO-8601 date-times with any offset
//! (`Z`, `+00:00`, `+0000`, fractions of a second), which must lie in the future.

use chrono::{DateTime, Utc};

/// Why an `endDate` is refused, with the seed's messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EndDateError {
    Invalid,
    NotInFuture,
}

impl EndDateError {
    pub fn message(self) -> &'static str {
        match self {
            EndDateError::Invalid => "Invalid value for endDate",
            EndDateError::NotInFuture => "End date should be set in the future",
        }
    }
}

/// Parses `raw` as an ISO-8601 date-time with an offset; it must be after `now`.
pub fn parse(raw: &str, now: DateTime<Utc>) -> Result<DateTime<Utc>, EndDateError> {
    let raw = raw.trim();
    let parsed = DateTime::parse_from_rfc3339(raw)
        .or_else(|_| DateTime::parse_from_str(raw, "%Y-%m-%dT%H:%M:%S%.f%z"))
        .or_else(|_| DateTime::parse_from_str(raw, "%Y-%m-%dT%H:%M%z"))
        .map_err(|_| EndDateError::Invalid)?
        .with_timezone(&Utc);
    if parsed <= now {
        return Err(EndDateError::NotInFuture);
    }
    Ok(parsed)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn offsets_and_refusals() {
        let now = DateTime::parse_from_rfc3339("2030-01-01T00:00:00Z").unwrap().with_timezone(&Utc);
        let a = parse("2030-01-01T05:00:00+04:00", now).unwrap();
        assert_eq!(a.to_rfc3339(), "2030-01-01T01:00:00+00:00");
        assert!(parse("2030-06-01T04:01:28+0000", now).is_ok());
        assert!(parse("2030-06-01T04:01:28.5Z", now).is_ok());
        assert_eq!(parse("2029-12-31T23:59:59Z", now), Err(EndDateError::NotInFuture));
        assert_eq!(parse("2030-01-01T01:00:00+02:00", now), Err(EndDateError::NotInFuture));
        assert_eq!(parse("tomorrow", now), Err(EndDateError::Invalid));
        assert_eq!(parse("2030-13-01T00:00:00Z", now), Err(EndDateError::Invalid));
    }
}
