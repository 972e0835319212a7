//! Conversion paths: the ordered currencies a conversion passes through (the seed's `path`
//! string, stored as `EUR,USD,BTC`) and the legs, each with the rate it applies.

use crate::money::fx::rate::Rate;
use crate::{Currency, Error, Result};

/// Most legs a path may have (five currencies).
pub const MAX_LEGS: usize = 4;

/// Parses a path from `source` to `target`: currency codes separated by `,`, `>`, `->` or `→`
/// (`"EUR,USD,BTC"`, `"EUR → USD → BTC"`). It must start at `source`, end at `target`, visit
/// no currency twice and have 1 to [`MAX_LEGS`] legs. Errors name `field`.
pub fn parse_path(
    field: &str,
    raw: &str,
    source: Currency,
    target: Currency,
) -> Result<Vec<Currency>> {
    let normalised = raw.replace("->", ",").replace(['>', '→'], ",");
    let mut codes = Vec::new();
    for piece in normalised.split(',') {
        let code = piece.trim();
        if code.is_empty() {
            return Err(Error::field(
                field,
                "must be currency codes separated by commas, such as EUR,USD,BTC",
            ));
        }
        let c = Currency::parse(field, code).map_err(|_| {
            Error::field(field, format!("'{code}' is not a currency code (e.g. USD, USDT)"))
        })?;
        if codes.contains(&c) {
            return Err(Error::field(field, format!("visits {c} twice")));
        }
        codes.push(c);
    }
    if codes.len() < 2 {
        return Err(Error::field(field, "must name at least two currencies"));
    }
    if codes.len() > MAX_LEGS + 1 {
        return Err(Error::field(field, format!("may have at most {MAX_LEGS} legs")));
    }
    if codes.first() != Some(&source) {
        return Err(Error::field(field, format!("must start with the source currency {source}")));
    }
    if codes.last() != Some(&target) {
        return Err(Error::field(field, format!("must end with the target currency {target}")));
    }
    Ok(codes)
}

/// The stored form of a path: codes joined by `,`.
pub fn format_path(codes: &[Currency]) -> String {
    codes.iter().map(Currency::as_str).collect::<Vec<_>>().join(",")
}

/// One step of a path. A direct leg uses a configured `from → to` rate (multiply); an inverse
/// leg uses the configured `to → from` rate (divide).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Leg {
    pub from: Currency,
    pub to: Currency,
    pub rate: Rate,
    pub inverse: bool,
}

impl Leg {
    /// Through a configured `from → to` rate.
    pub fn direct(from: Currency, to: Currency, rate: Rate) -> Self {
        Self { from, to, rate, inverse: false }
    }

    /// Through the configured `to → from` rate, inverted.
    pub fn inverse(from: Currency, to: Currency, rate_to_from: Rate) -> Self {
        Self { from, to, rate: rate_to_from, inverse: true }
    }
}

/// A chain of legs from one currency to another (no legs: the identity).
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct ConversionPath {
    from: Currency,
    legs: Vec<Leg>,
}

impl ConversionPath {
    /// No conversion: `c` to `c` at rate 1.
    pub fn identity(c: Currency) -> Self {
        Self { from: c, legs: Vec::new() }
    }

    /// Checks that the legs chain (each starts where the previous ended) and that there are 1
    /// to [`MAX_LEGS`] of them.
    pub fn new(legs: Vec<Leg>) -> Result<Self> {
        let Some(first) = legs.first() else {
            return Err(Error::field("path", "must have at least one leg"));
        };
        if legs.len() > MAX_LEGS {
            return Err(Error::field("path", format!("may have at most {MAX_LEGS} legs")));
        }
        if legs.windows(2).any(|w| matches!(w, [a, b] if a.to != b.from)) {
            return Err(Error::field("path", "legs must chain"));
        }
        Ok(Self { from: first.from, legs })
    }

    pub fn from(&self) -> Currency {
        self.from
    }

    pub fn to(&self) -> Currency {
        self.legs.last().map_or(self.from, |l| l.to)
    }

    pub fn legs(&self) -> &[Leg] {
        &self.legs
    }

    /// The currencies visited, in order (`[EUR, USD, BTC]`; `[USD]` for the identity).
    pub fn currencies(&self) -> Vec<Currency> {
        std::iter::once(self.from).chain(self.legs.iter().map(|l| l.to)).collect()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn c(s: &str) -> Currency {
        Currency::parse("c", s).unwrap()
    }

    #[test]
    fn parses_paths() {
        let (eur, btc) = (c("EUR"), c("BTC"));
        let want = vec![eur, c("USD"), btc];
        assert_eq!(parse_path("path", "EUR,USD,BTC", eur, btc).unwrap(), want);
        assert_eq!(parse_path("path", "EUR -> USD -> BTC", eur, btc).unwrap(), want);
        assert_eq!(parse_path("path", "EUR→USD>BTC", eur, btc).unwrap(), want);
        assert_eq!(format_path(&want), "EUR,USD,BTC");
        let msg = |s: &str| parse_path("path", s, eur, btc).unwrap_err().public_message();
        assert_eq!(msg("USD,BTC"), "path: must start with the source currency EUR");
        assert_eq!(msg("EUR,USD"), "path: must end with the target currency BTC");
        assert_eq!(msg("EUR,usd,BTC"), "path: 'usd' is not a currency code (e.g. USD, USDT)");
        assert_eq!(msg("EUR,USD,EUR,BTC"), "path: visits EUR twice");
        assert_eq!(msg("EUR"), "path: must name at least two currencies");
        assert_eq!(
            msg("EUR,,BTC"),
            "path: must be currency codes separated by commas, such as EUR,USD,BTC"
        );
        assert_eq!(msg("EUR,A1A,B1B,C1C,D1D,BTC"), "path: may have at most 4 legs");
    }

    #[test]
    fn legs_must_chain() {
        let r = Rate::parse("rate", "2").unwrap();
        let ok = ConversionPath::new(vec![
            Leg::direct(c("EUR"), c("USD"), r),
            Leg::inverse(c("USD"), c("BTC"), r),
        ])
        .unwrap();
        assert_eq!(ok.currencies(), vec![c("EUR"), c("USD"), c("BTC")]);
        assert_eq!(ok.to(), c("BTC"));
        let bad = ConversionPath::new(vec![
            Leg::direct(c("EUR"), c("USD"), r),
            Leg::direct(c("GBP"), c("BTC"), r),
        ]);
        assert!(bad.is_err());
        assert!(ConversionPath::new(vec![]).is_err());
        assert_eq!(ConversionPath::identity(c("USD")).to(), c("USD"));
    }
}
