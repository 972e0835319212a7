//! Bonus rules (seed tag Bonuses): the three types, the exact percentage of a proportional
//! bonus, the validated rule and its matching against a deposit (date window, methods,
//! minimum deposit) and the amount it grants (capped by the maximum).

pub mod percent;

pub use percent::Percent;

use chrono::{DateTime, Utc};

use crate::{Error, Money, Result, Violations};

/// What triggers a bonus.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BonusType {
    /// Once per customer, when the customer's first real (non-demo) wallet opens.
    Signup,
    /// A fixed amount per qualifying deposit.
    Deposit,
    /// A percentage of each qualifying deposit.
    DepositProportional,
}

impl BonusType {
    pub const ALL: [BonusType; 3] = [Self::Signup, Self::Deposit, Self::DepositProportional];

    /// The wire and storage name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Signup => "SIGNUP",
            Self::Deposit => "DEPOSIT",
            Self::DepositProportional => "DEPOSIT_PROPORTIONAL",
        }
    }

    /// Parses the wire name; errors name `field`.
    pub fn parse(field: &str, s: &str) -> Result<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == s).ok_or_else(|| {
            Error::field(field, "must be one of: SIGNUP, DEPOSIT, DEPOSIT_PROPORTIONAL")
        })
    }

    /// Whether a deposit triggers it.
    pub fn on_deposit(self) -> bool {
        matches!(self, Self::Deposit | Self::DepositProportional)
    }
}

/// How much a rule grants: a fixed amount in USD, or a percentage of the deposit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BonusAmount {
    FixedUsd(Money),
    Percent(Percent),
}

/// A validated bonus rule (everything but its id).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BonusRule {
    pub kind: BonusType,
    pub amount: BonusAmount,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    /// Smallest qualifying deposit, in USD.
    pub minimum_deposit_usd: Option<Money>,
    /// Largest amount granted, in USD.
    pub maximum_amount_usd: Option<Money>,
    pub add_to_credit: bool,
    /// Deposit methods that qualify; empty: every method.
    pub methods: Vec<String>,
}

/// A rule as received, before validation (`amount` as its decimal text).
#[derive(Debug, Clone, Default)]
pub struct RuleInput {
    pub kind: String,
    pub amount: String,
    pub start: Option<DateTime<Utc>>,
    pub end: Option<DateTime<Utc>>,
    pub minimum_deposit_usd: Option<Money>,
    pub maximum_amount_usd: Option<Money>,
    pub add_to_credit: bool,
    pub methods: Vec<String>,
}

const MAX_METHODS: usize = 50;

/// Checks a method name: 1-64 characters, no control characters.
fn method(raw: &str) -> Result<String> {
    let s = raw.trim();
    if s.is_empty() || s.chars().count() > 64 || s.chars().any(char::is_control) {
        return Err(Error::field("methods", "each method must be 1-64 characters"));
    }
    Ok(s.to_owned())
}

impl BonusRule {
    /// Validates every field, reporting all invalid ones at once.
    pub fn parse(i: RuleInput) -> Result<Self> {
        let mut v = Violations::new();
        let kind = v.check(BonusType::parse("type", i.kind.trim()));
        let amount = kind.and_then(|k| {
            v.check(match k {
                BonusType::DepositProportional => {
                    Percent::parse("amount", i.amount.trim()).map(BonusAmount::Percent)
                }
                _ => Money::parse("amount", i.amount.trim()).and_then(|m| {
                    if m.is_positive() {
                        Ok(BonusAmount::FixedUsd(m))
                    } else {
                        Err(Error::field("amount", "must be greater than zero"))
                    }
                }),
            })
        });
        let start = v.check(i.start.ok_or_else(|| Error::field("start", "is required")));
        let end = v.check(i.end.ok_or_else(|| Error::field("end", "is required")));
        if let (Some(s), Some(e)) = (start, end)
            && e <= s
        {
            v.push("end", "must be after start");
        }
        if i.minimum_deposit_usd.is_some_and(|m| m.is_negative()) {
            v.push("minimumDepositUSD", "must not be negative");
        }
        if i.maximum_amount_usd.is_some_and(|m| !m.is_positive()) {
            v.push("maximumAmountUSD", "must be greater than zero");
        }
        if i.methods.len() > MAX_METHODS {
            v.push("methods", format!("at most {MAX_METHODS} methods"));
        }
        let mut methods = Vec::new();
        for m in &i.methods {
            if let Some(m) = v.check(method(m))
                && !methods.contains(&m)
            {
                methods.push(m);
            }
        }
        v.finish()?;
        match (kind, amount, start, end) {
            (Some(kind), Some(amount), Some(start), Some(end)) => Ok(Self {
                kind,
                amount,
                start,
                end,
                minimum_deposit_usd: i.minimum_deposit_usd,
                maximum_amount_usd: i.maximum_amount_usd,
                add_to_credit: i.add_to_credit,
                methods,
            }),
            _ => Err(Error::internal("bonus rule: checked fields missing")),
        }
    }

    /// Whether the rule is in force at `at` (both ends included).
    pub fn active_at(&self, at: DateTime<Utc>) -> bool {
        self.start <= at && at <= self.end
    }

    /// Whether a deposit by `method` qualifies: an empty method list takes every deposit,
    /// otherwise the method must be listed (case-insensitively); a deposit without a method
    /// qualifies only for rules without a method list.
    pub fn takes_method(&self, method: Option<&str>) -> bool {
        if self.methods.is_empty() {
            return true;
        }
        method.is_some_and(|m| self.methods.iter().any(|r| r.eq_ignore_ascii_case(m.trim())))
    }

    /// Whether a deposit worth `deposit_usd` reaches the minimum.
    pub fn reaches_minimum(&self, deposit_usd: Money) -> bool {
        self.minimum_deposit_usd.is_none_or(|min| deposit_usd >= min)
    }
}

/// The amount granted for a rule: `base` (the fixed amount converted to the wallet's currency,
/// or the deposit for a percentage) capped at `cap` (the maximum converted, if any). A
/// percentage is exact and rounded down to 10^-8, so a bonus never exceeds its percentage.
pub fn granted(amount: BonusAmount, base: Money, cap: Option<Money>) -> Option<Money> {
    let raw = match amount {
        BonusAmount::FixedUsd(_) => base,
        BonusAmount::Percent(p) => p.of(base)?,
    };
    let capped = match cap {
        Some(c) if c < raw => c,
        _ => raw,
    };
    capped.is_positive().then_some(capped)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn input(kind: &str, amount: &str) -> RuleInput {
        RuleInput {
            kind: kind.into(),
            amount: amount.into(),
            start: "2026-01-01T00:00:00Z".parse().ok(),
            end: "2026-12-31T00:00:00Z".parse().ok(),
            ..Default::default()
        }
    }

    #[test]
    fn rules_validate_every_field() {
        assert!(BonusRule::parse(input("DEPOSIT", "50")).is_ok());
        let r = BonusRule::parse(input("DEPOSIT_PROPORTIONAL", "12.5")).unwrap();
        assert_eq!(r.amount, BonusAmount::Percent(Percent::from_hundredths(1250)));
        for (k, a) in [("X", "1"), ("DEPOSIT", "0"), ("DEPOSIT_PROPORTIONAL", "0.001")] {
            assert!(BonusRule::parse(input(k, a)).is_err(), "{k} {a}");
        }
        let mut i = input("SIGNUP", "10");
        i.end = i.start;
        i.methods = vec![" ".into()];
        i.maximum_amount_usd = Some(Money::ZERO);
        let Err(Error::Validation(f)) = BonusRule::parse(i) else { panic!() };
        let fields: Vec<_> = f.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["end", "maximumAmountUSD", "methods"]);
    }

    #[test]
    fn proportional_bonuses_round_down_exactly_and_respect_the_cap() {
        let p = BonusAmount::Percent(Percent::from_hundredths(3333));
        let d = Money::parse("a", "0.00000010").unwrap();
        // 33.33 % of 10 minor units is 3.333: rounded down to 3.
        assert_eq!(granted(p, d, None), Some(Money::from_minor(3)));
        let d = Money::parse("a", "1000").unwrap();
        assert_eq!(granted(p, d, None), Money::parse("a", "333.3").ok());
        assert_eq!(granted(p, d, Money::parse("a", "100").ok()), Money::parse("a", "100").ok());
        assert_eq!(granted(p, Money::from_minor(1), None), None);
    }

    #[test]
    fn methods_and_minimums_filter() {
        let mut r = BonusRule::parse(input("DEPOSIT", "5")).unwrap();
        assert!(r.takes_method(None));
        r.methods = vec!["card".into()];
        assert!(r.takes_method(Some("CARD")) && !r.takes_method(Some("wire")));
        assert!(!r.takes_method(None));
        r.minimum_deposit_usd = Money::parse("a", "100").ok();
        assert!(r.reaches_minimum(Money::parse("a", "100").unwrap()));
        assert!(!r.reaches_minimum(Money::parse("a", "99.99999999").unwrap()));
    }
}
