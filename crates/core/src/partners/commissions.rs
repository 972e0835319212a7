//! Commission models of the IB programme: a named set of tiers ("levels"). Level 1 pays the
//! introducer who referred the client, level 2 that introducer's own introducer, and so on;
//! each level pays a CPA amount per first deposit of at least a minimum, a rebate per traded
//! lot and a share of the broker's net revenue from the client. Amounts are in the platform's
//! accounting currency (USD); shares exact to 0.01 %. Parsed and validated whole.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::Violations;
use crate::{Error, Money, Result};

/// Most levels (tiers) in one model.
pub const MAX_LEVELS: usize = 10;
/// Longest model name.
pub const MAX_NAME: usize = 100;
/// Highest amount a level may pay (CPA, per lot) or require (minimum deposit): 1,000,000.
const MAX_AMOUNT: Money = Money::from_minor(1_000_000 * crate::money::amount::UNIT);

/// One level of a commission model, as stored (minor units, hundredths of a percent).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CommissionLevel {
    /// 1 = the client's own introducer, 2 = that introducer's introducer, ...
    pub level: u8,
    /// Paid once per client whose first deposit reaches `cpa_min_deposit`.
    pub cpa: Money,
    pub cpa_min_deposit: Money,
    /// Paid per lot the client trades.
    pub per_lot: Money,
    /// Share of the broker's net revenue from the client, in hundredths of a percent (0-10000).
    pub revenue_share: i32,
}

impl CommissionLevel {
    /// The revenue share as decimal percent text (`"12.5"`).
    pub fn revenue_share_percent(&self) -> String {
        Decimal::new(i64::from(self.revenue_share), 2).normalize().to_string()
    }
}

/// One level as it arrives: decimal texts, absent when not given.
#[derive(Debug, Clone, Default)]
pub struct LevelInput {
    pub level: Option<String>,
    pub cpa_amount: Option<String>,
    pub cpa_min_deposit: Option<String>,
    pub lot_amount: Option<String>,
    pub rev_share_percent: Option<String>,
}

/// Parses `levels` (field `field`, items `field[i].name`): 1 to [`MAX_LEVELS`] levels numbered
/// 1..n once each (any order; returned in level order), amounts from 0 to 1,000,000 with at
/// most 8 decimals (absent = 0), shares from 0 to 100 % with at most 2 decimals. Every error
/// goes to `v`.
pub fn parse_levels(
    v: &mut Violations,
    field: &str,
    levels: &[LevelInput],
) -> Vec<CommissionLevel> {
    if levels.is_empty() || levels.len() > MAX_LEVELS {
        v.push(field, format!("must hold 1 to {MAX_LEVELS} levels"));
        return Vec::new();
    }
    let mut out = Vec::with_capacity(levels.len());
    let mut numbers = Vec::with_capacity(levels.len());
    for (i, l) in levels.iter().enumerate() {
        let at = |name: &str| format!("{field}[{i}].{name}");
        let level = v.check(level_number(&at("level"), l.level.as_deref(), levels.len()));
        if let Some(n) = level {
            if numbers.contains(&n) {
                v.push(at("level"), format!("level {n} is given twice"));
            }
            numbers.push(n);
        }
        let cpa = v.check(amount(&at("cpaAmount"), l.cpa_amount.as_deref()));
        let min = v.check(amount(&at("cpaMinDeposit"), l.cpa_min_deposit.as_deref()));
        let per_lot = v.check(amount(&at("lotAmount"), l.lot_amount.as_deref()));
        let share = v.check(share(&at("revSharePercent"), l.rev_share_percent.as_deref()));
        if let (Some(level), Some(cpa), Some(cpa_min_deposit), Some(per_lot), Some(revenue_share)) =
            (level, cpa, min, per_lot, share)
        {
            out.push(CommissionLevel { level, cpa, cpa_min_deposit, per_lot, revenue_share });
        }
    }
    out.sort_by_key(|l| l.level);
    out
}

fn level_number(field: &str, raw: Option<&str>, count: usize) -> Result<u8> {
    let rule = || Error::field(field, format!("must be a whole number from 1 to {count}"));
    let n: u8 = raw.ok_or_else(rule)?.trim().parse().map_err(|_| rule())?;
    if n == 0 || usize::from(n) > count {
        return Err(rule());
    }
    Ok(n)
}

fn amount(field: &str, raw: Option<&str>) -> Result<Money> {
    let Some(raw) = raw else { return Ok(Money::ZERO) };
    let m = Money::parse(field, raw.trim())?;
    if m.is_negative() || m > MAX_AMOUNT {
        return Err(Error::field(field, "must be from 0 to 1000000"));
    }
    Ok(m)
}

fn share(field: &str, raw: Option<&str>) -> Result<i32> {
    const RULE: &str = "must be a percentage from 0 to 100 with at most 2 decimals";
    let Some(raw) = raw else { return Ok(0) };
    let d: Decimal = raw.trim().parse().map_err(|_| Error::field(field, RULE))?;
    if d.is_sign_negative() || d > Decimal::ONE_HUNDRED || d.normalize().scale() > 2 {
        return Err(Error::field(field, RULE));
    }
    i32::try_from((d * Decimal::ONE_HUNDRED).trunc().mantissa())
        .map_err(|_| Error::field(field, RULE))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn level(n: &str, cpa: &str, share: &str) -> LevelInput {
        LevelInput {
            level: Some(n.into()),
            cpa_amount: Some(cpa.into()),
            rev_share_percent: Some(share.into()),
            ..LevelInput::default()
        }
    }

    #[test]
    fn levels_are_numbered_once_each_and_sorted() {
        let mut v = Violations::new();
        let got = parse_levels(&mut v, "l", &[level("2", "50", "5"), level("1", "250.5", "12.5")]);
        v.finish().unwrap();
        assert_eq!(got.iter().map(|l| l.level).collect::<Vec<_>>(), [1, 2]);
        assert_eq!(got[0].cpa, Money::parse("x", "250.5").unwrap());
        assert_eq!(got[0].revenue_share, 1250);
        assert_eq!(got[0].revenue_share_percent(), "12.5");
        assert_eq!(got[1].per_lot, Money::ZERO);
    }

    #[test]
    fn every_bad_field_is_named() {
        let mut v = Violations::new();
        parse_levels(
            &mut v,
            "l",
            &[level("1", "-1", "100.01"), level("1", "5", "1"), level("4", "1", "1")],
        );
        let Err(Error::Validation(errors)) = v.finish() else { panic!("accepted") };
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["l[0].cpaAmount", "l[0].revSharePercent", "l[1].level", "l[2].level"]);
        let mut v = Violations::new();
        parse_levels(&mut v, "l", &[]);
        assert!(v.finish().is_err());
    }
}
