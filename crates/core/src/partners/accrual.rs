//! What one event earns at one level of a commission model: the CPA on a qualifying deposit,
//! the rebate per lot of a closed position, the share of the broker's net revenue from it.
//! Exact integer arithmetic on minor units (10^-8), rounded down (never over-paid).

use crate::money::amount::UNIT;
use crate::partners::commissions::CommissionLevel;
use crate::{Error, Money, Result};

/// The kind of a commission (the seed's `commissionType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommissionType {
    Cpa,
    Lot,
    RevenueShare,
}

impl CommissionType {
    pub const ALL: [Self; 3] = [Self::Cpa, Self::Lot, Self::RevenueShare];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Cpa => "CPA",
            Self::Lot => "LOT",
            Self::RevenueShare => "REVENUE_SHARE",
        }
    }

    /// What the client did to earn it (the seed's `actionType`).
    pub fn action_type(self) -> &'static str {
        match self {
            Self::Cpa => "FTD",
            Self::Lot | Self::RevenueShare => "POSITION_CLOSED",
        }
    }
}

/// The CPA a deposit of `deposit` (in the model's currency) earns at `level`: the level's CPA
/// when the deposit reaches its minimum (the caller pays it once per client and level).
pub fn cpa(level: &CommissionLevel, deposit: Money) -> Option<Money> {
    (level.cpa.is_positive() && deposit >= level.cpa_min_deposit).then_some(level.cpa)
}

/// The rebate for `lots_minor` lots (10^-8 lots; the sign is ignored) at `level`.
pub fn per_lot(level: &CommissionLevel, lots_minor: i64) -> Result<Option<Money>> {
    let raw = i128::from(level.per_lot.minor()) * i128::from(lots_minor.unsigned_abs())
        / i128::from(UNIT);
    let minor = i64::try_from(raw).map_err(|_| Error::internal("per-lot commission overflow"))?;
    Ok(Some(Money::from_minor(minor)).filter(|m| m.is_positive()))
}

/// The broker's net revenue from one closed position: what the client lost (the negated
/// realised P/L), plus the commission and swaps the client paid.
pub fn net_revenue(realised_pl: Money, commission: Money, swap: Money) -> Result<Money> {
    realised_pl
        .checked_neg()
        .and_then(|r| r.checked_add(commission))
        .and_then(|r| r.checked_add(swap))
        .ok_or_else(|| Error::internal("net revenue overflow"))
}

/// The level's share of `net_revenue`; nothing when the broker made no revenue.
pub fn revenue_share(level: &CommissionLevel, net_revenue: Money) -> Result<Option<Money>> {
    if !net_revenue.is_positive() || level.revenue_share <= 0 {
        return Ok(None);
    }
    let raw = i128::from(net_revenue.minor()) * i128::from(level.revenue_share) / 10_000;
    let minor = i64::try_from(raw).map_err(|_| Error::internal("revenue share overflow"))?;
    Ok(Some(Money::from_minor(minor)).filter(|m| m.is_positive()))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn m(s: &str) -> Money {
        Money::parse("x", s).unwrap()
    }

    fn level() -> CommissionLevel {
        CommissionLevel {
            level: 1,
            cpa: m("250"),
            cpa_min_deposit: m("200"),
            per_lot: m("5"),
            revenue_share: 1250,
        }
    }

    #[test]
    fn cpa_needs_the_minimum() {
        assert_eq!(cpa(&level(), m("199.99")), None);
        assert_eq!(cpa(&level(), m("200")), Some(m("250")));
    }

    #[test]
    fn per_lot_and_revenue_share_are_exact_and_round_down() {
        assert_eq!(per_lot(&level(), 150_000_000).unwrap(), Some(m("7.5")));
        // Exact to Money's last minor unit (10^-8); the sign of the lots is ignored.
        assert_eq!(per_lot(&level(), -1).unwrap(), Some(m("0.00000005")));
        assert_eq!(per_lot(&level(), 0).unwrap(), None);
        let net = net_revenue(m("-100"), m("3"), m("0.01")).unwrap();
        assert_eq!(net, m("103.01"));
        assert_eq!(revenue_share(&level(), net).unwrap(), Some(m("12.87625")));
        assert_eq!(revenue_share(&level(), m("-5")).unwrap(), None);
    }
}
