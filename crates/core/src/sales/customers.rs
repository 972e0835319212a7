//! Customer rules (seed 002 tags "Customers - Admin APIs" and "Customers - Affiliate APIs"):
//! KYC statuses and their transitions, risk statuses, the `depositCount` filter syntax and
//! list sort keys.

use crate::{Error, Result};

pub use crate::onboarding::kyc::{KycAction, KycStatus};

/// A customer's risk classification (`riskStatus`).
pub const RISK_STATUSES: [&str; 4] = ["LOW", "MEDIUM", "HIGH", "REVIEW"];

/// A risk status, upper-cased; the error names `field`.
pub fn risk_status(field: &str, raw: &str) -> Result<String> {
    let s = raw.trim().to_ascii_uppercase();
    if RISK_STATUSES.contains(&s.as_str()) {
        Ok(s)
    } else {
        Err(Error::field(field, format!("must be one of {}", RISK_STATUSES.join(", "))))
    }
}

/// The `depositCount` filter: `N` (exactly), `N+` (at least) or `N-M` (inclusive).
pub fn deposit_count(field: &str, raw: &str) -> Result<(u64, Option<u64>)> {
    let s = raw.trim();
    let bad = || Error::field(field, "must be N, N+ or N-M (numbers of deposits)");
    let num = |x: &str| x.trim().parse::<u64>().map_err(|_| bad());
    if let Some(lo) = s.strip_suffix('+') {
        return Ok((num(lo)?, None));
    }
    if let Some((lo, hi)) = s.split_once('-') {
        let (lo, hi) = (num(lo)?, num(hi)?);
        return if lo <= hi { Ok((lo, Some(hi))) } else { Err(bad()) };
    }
    let n = num(s)?;
    Ok((n, Some(n)))
}

/// `key` or `key|ASC` / `key|DESC` (also `key:asc`); returns the key and whether descending
/// (`default_desc` when no direction is given).
pub fn sort_spec<'a>(field: &str, raw: &'a str, default_desc: bool) -> Result<(&'a str, bool)> {
    let s = raw.trim();
    let (key, dir) = match s.split_once(['|', ':']) {
        Some((k, d)) => (k.trim(), Some(d.trim())),
        None => (s, None),
    };
    let desc = match dir.map(str::to_ascii_uppercase).as_deref() {
        None => default_desc,
        Some("ASC") => false,
        Some("DESC") => true,
        Some(_) => return Err(Error::field(field, "direction must be ASC or DESC")),
    };
    Ok((key, desc))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kyc_transitions() {
        use KycAction::*;
        use KycStatus::*;
        assert_eq!(None.after(Approve).ok(), Some(Approved));
        assert_eq!(Pending.after(Approve).ok(), Some(Approved));
        assert_eq!(Revoked.after(Approve).ok(), Some(Approved));
        assert!(Approved.after(Approve).is_err());
        assert_eq!(Approved.after(Revoke).ok(), Some(Revoked));
        for s in [None, Pending, Revoked] {
            assert!(s.after(Revoke).is_err());
        }
        for s in [Pending, Approved, Revoked] {
            assert_eq!(s.after(Reset).ok(), Some(None));
        }
        assert!(None.after(Reset).is_err());
        for s in KycStatus::ALL {
            assert_eq!(KycStatus::parse("k", s.wire()).ok(), Some(s));
            assert_eq!(KycStatus::stored(s.as_str()), s);
        }
    }

    #[test]
    fn deposit_counts_and_sorts() {
        assert_eq!(deposit_count("d", "2").ok(), Some((2, Some(2))));
        assert_eq!(deposit_count("d", "1+").ok(), Some((1, None)));
        assert_eq!(deposit_count("d", "0-3").ok(), Some((0, Some(3))));
        for bad in ["", "x", "3-1", "-1", "1++"] {
            assert!(deposit_count("d", bad).is_err(), "{bad}");
        }
        assert_eq!(sort_spec("s", "name|ASC", true).ok(), Some(("name", false)));
        assert_eq!(sort_spec("s", "email", true).ok(), Some(("email", true)));
        assert!(sort_spec("s", "email|UP", true).is_err());
        assert_eq!(risk_status("r", "review").ok().as_deref(), Some("REVIEW"));
        assert!(risk_status("r", "meh").is_err());
    }
}
