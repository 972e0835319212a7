//! Payment-provider rules: method types, exact amounts from the API's JSON numbers, and the
//! checks on a provider's limits, predefined amounts and enabled countries.

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;

use crate::validate::CountryCode;
use crate::{Error, Money, Result, Violations};

/// Most significant digits an amount may have, so that a JSON number (an IEEE double) carries
/// it exactly both ways.
pub const MAX_AMOUNT_SIGNIFICANT: u32 = 15;
/// Most predefined deposit amounts per provider.
pub const MAX_PREDEFINED: usize = 20;

/// What a payment method is used for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MethodType {
    Deposit,
    Withdrawal,
}

impl MethodType {
    pub const ALL: [MethodType; 2] = [MethodType::Deposit, MethodType::Withdrawal];

    pub fn as_str(self) -> &'static str {
        match self {
            MethodType::Deposit => "deposit",
            MethodType::Withdrawal => "withdrawal",
        }
    }

    /// `deposit` or `withdrawal` (case-insensitive); anything else is an error naming `field`.
    pub fn parse(field: &str, raw: &str) -> Result<Self> {
        match raw.trim().to_ascii_lowercase().as_str() {
            "deposit" => Ok(MethodType::Deposit),
            "withdrawal" => Ok(MethodType::Withdrawal),
            _ => Err(Error::field(field, "must be deposit or withdrawal")),
        }
    }
}

impl fmt::Display for MethodType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A non-negative amount from its decimal text (a JSON number's shortest form or a string):
/// at most 8 decimal places and 15 significant digits. Errors name `field`.
pub fn parse_amount(field: &str, raw: &str) -> Result<Money> {
    let bad = || Error::field(field, "must be a decimal number such as 12.34 (no exponent)");
    let raw = raw.trim();
    if raw.contains(['e', 'E']) {
        return Err(bad());
    }
    let d = Decimal::from_str(raw).map_err(|_| bad())?;
    if d.is_sign_negative() && !d.is_zero() {
        return Err(Error::field(field, "must not be negative"));
    }
    let n = d.normalize();
    let digits = n.mantissa().unsigned_abs().checked_ilog10().map_or(1, |l| l + 1);
    if digits > MAX_AMOUNT_SIGNIFICANT {
        return Err(Error::field(
            field,
            format!("must have at most {MAX_AMOUNT_SIGNIFICANT} significant digits"),
        ));
    }
    Money::from_decimal(field, n)
}

/// Limits and presets of one provider, as validated input.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Limits {
    pub minimum_deposit: Option<Money>,
    pub maximum_deposit: Option<Money>,
    pub minimum_withdrawal: Option<Money>,
    pub maximum_withdrawal: Option<Money>,
    pub predefined_deposit_amounts: Vec<Money>,
}

impl Limits {
    /// Records every inconsistency (field names as on the wire): a minimum above its maximum,
    /// a predefined amount that is zero or outside the deposit limits, too many presets.
    pub fn check(&self, v: &mut Violations) {
        if let (Some(min), Some(max)) = (self.minimum_deposit, self.maximum_deposit)
            && min > max
        {
            v.push("minimumDepositAmount", "must not exceed maximumDepositAmount");
        }
        if let (Some(min), Some(max)) = (self.minimum_withdrawal, self.maximum_withdrawal)
            && min > max
        {
            v.push("minimumWithdrawalAmount", "must not exceed maximumWithdrawalAmount");
        }
        if self.predefined_deposit_amounts.len() > MAX_PREDEFINED {
            v.push("predefinedDepositAmounts", format!("must have at most {MAX_PREDEFINED} items"));
        }
        for (i, a) in self.predefined_deposit_amounts.iter().enumerate() {
            let field = format!("predefinedDepositAmounts[{i}]");
            if a.is_zero() {
                v.push(field, "must be greater than 0");
            } else if self.minimum_deposit.is_some_and(|m| *a < m)
                || self.maximum_deposit.is_some_and(|m| *a > m)
            {
                v.push(field, "must be within the deposit limits");
            }
        }
    }

    /// The (minimum, maximum) for `t`.
    pub fn range(&self, t: MethodType) -> (Option<Money>, Option<Money>) {
        match t {
            MethodType::Deposit => (self.minimum_deposit, self.maximum_deposit),
            MethodType::Withdrawal => (self.minimum_withdrawal, self.maximum_withdrawal),
        }
    }
}

/// Validated, de-duplicated, sorted country codes; each bad one is recorded as
/// `enabledCountryCodes[i]`.
pub fn country_codes(raw: &[String], v: &mut Violations) -> Vec<String> {
    let mut out: Vec<String> = raw
        .iter()
        .enumerate()
        .filter_map(|(i, c)| {
            v.check(CountryCode::parse(&format!("enabledCountryCodes[{i}]"), c))
                .map(|c| c.as_str().to_owned())
        })
        .collect();
    out.sort();
    out.dedup();
    out
}

/// Whether a provider limited to `enabled` (empty: every country) serves `country`.
pub fn serves_country(enabled: &[String], country: Option<&str>) -> bool {
    enabled.is_empty() || country.is_some_and(|c| enabled.iter().any(|e| e.eq_ignore_ascii_case(c)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(s: &str) -> Money {
        Money::parse("x", s).unwrap_or(Money::MIN)
    }

    #[test]
    fn amounts_are_exact_and_bounded() {
        assert_eq!(parse_amount("a", "10.5").ok(), Some(m("10.5")));
        assert_eq!(parse_amount("a", "0").ok(), Some(Money::ZERO));
        assert_eq!(parse_amount("a", "0.00000001").ok(), Some(Money::from_minor(1)));
        assert!(parse_amount("a", "-1").is_err());
        assert!(parse_amount("a", "0.000000001").is_err());
        assert!(parse_amount("a", "1234567890.1234567").is_err());
        assert!(parse_amount("a", "abc").is_err());
        assert!(parse_amount("a", "1e3").is_err());
    }

    #[test]
    fn limits_are_checked_by_field() {
        let l = Limits {
            minimum_deposit: Some(m("100")),
            maximum_deposit: Some(m("10")),
            predefined_deposit_amounts: vec![Money::ZERO],
            ..Limits::default()
        };
        let mut v = Violations::new();
        l.check(&mut v);
        let Err(Error::Validation(f)) = v.finish() else { panic!("expected violations") };
        let names: Vec<_> = f.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(names, ["minimumDepositAmount", "predefinedDepositAmounts[0]"]);
    }

    #[test]
    fn countries_and_types() {
        let mut v = Violations::new();
        let c = country_codes(&["de".into(), "AT".into(), "DE".into()], &mut v);
        assert_eq!(c, ["AT", "DE"]);
        assert!(v.finish().is_ok());
        let mut v = Violations::new();
        country_codes(&["XX".into()], &mut v);
        assert!(v.finish().is_err());
        assert!(serves_country(&[], None));
        assert!(serves_country(&["DE".into()], Some("de")));
        assert!(!serves_country(&["DE".into()], None));
        assert_eq!(MethodType::parse("type", "Deposit").ok(), Some(MethodType::Deposit));
        assert!(MethodType::parse("type", "refund").is_err());
    }
}
