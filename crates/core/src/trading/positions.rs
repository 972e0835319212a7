//! Position and order rules: sides, statuses, close reasons, order kinds, the side of a stop
//! loss and take profit, the trailing percentage, and the group's per-lot commission.

use rust_decimal::Decimal;
use serde_json::Value;

use crate::{Error, Result};

macro_rules! codes {
    ($(#[$m:meta])* $name:ident { $($v:ident = $s:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name { $($v),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$v),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$v => $s),+ }
            }

            /// Parses the wire code (any letter case) or fails naming `field`.
            pub fn parse(field: &str, raw: &str) -> Result<Self> {
                let up = raw.trim().to_ascii_uppercase();
                Self::ALL.iter().copied().find(|c| c.as_str() == up).ok_or_else(|| {
                    let all: Vec<&str> = Self::ALL.iter().map(|c| c.as_str()).collect();
                    Error::field(field, format!("must be one of {}", all.join(", ")))
                })
            }
        }
    };
}

codes!(
    /// Buy (long) or sell (short).
    Side { Buy = "BUY", Sell = "SELL" }
);
codes!(
    /// Where a position stands: a pending order not filled yet, open, closed, or a pending
    /// order cancelled before it filled.
    Status { Pending = "PENDING", Open = "OPEN", Closed = "CLOSED", Cancelled = "CANCELLED" }
);
codes!(
    /// Why a position closed.
    CloseReason {
        Client = "CLIENT",
        Staff = "STAFF",
        StopLoss = "STOP_LOSS",
        TakeProfit = "TAKE_PROFIT",
        TrailingStop = "TRAILING_STOP",
        StopOut = "STOP_OUT",
        Duration = "DURATION",
    }
);
codes!(
    /// How an order executes: at the market, or waiting for a better (limit) or worse (stop)
    /// price.
    OrderKind { Market = "MARKET", Limit = "LIMIT", Stop = "STOP" }
);
codes!(
    /// Where an order stands.
    OrderStatus { Pending = "PENDING", Filled = "FILLED", Cancelled = "CANCELLED" }
);
codes!(
    /// The seed's wallet platforms: PRO (lots, SL/TP) and NEO (an invested amount).
    Platform { Pro = "PRO", Neo = "NEO" }
);

impl Side {
    /// +1 for a buy, −1 for a sell.
    pub fn sign(self) -> i64 {
        match self {
            Side::Buy => 1,
            Side::Sell => -1,
        }
    }
}

/// The kind of a pending order opening at `level` while the market is at `market` (the ask
/// for a buy, the bid for a sell): better than the market is a limit, worse a stop.
pub fn pending_kind(side: Side, level: i64, market: i64) -> OrderKind {
    match side {
        Side::Buy if level <= market => OrderKind::Limit,
        Side::Sell if level >= market => OrderKind::Limit,
        _ => OrderKind::Stop,
    }
}

/// A stop loss below and a take profit above the reference price for a buy (the opposite for
/// a sell); `reference` is the open price (or the pending order's price).
pub fn check_stops(side: Side, reference: i64, sl: Option<i64>, tp: Option<i64>) -> Result<()> {
    let s = side.sign();
    if let Some(sl) = sl
        && (sl - reference) * s >= 0
    {
        let rel = if side == Side::Buy { "below" } else { "above" };
        return Err(Error::field("stopLoss", format!("must be {rel} the open price")));
    }
    if let Some(tp) = tp
        && (tp - reference) * s <= 0
    {
        let rel = if side == Side::Buy { "above" } else { "below" };
        return Err(Error::field("takeProfit", format!("must be {rel} the open price")));
    }
    Ok(())
}

/// A trailing stop percentage: above 0, at most 50, at most 2 decimals.
pub fn trailing_pct(field: &str, d: Decimal) -> Result<Decimal> {
    let d = d.normalize();
    if d <= Decimal::ZERO || d > Decimal::from(50) || d.scale() > 2 {
        return Err(Error::field(
            field,
            "must be a percentage above 0 and at most 50 (2 decimals)",
        ));
    }
    Ok(d)
}

/// The opening commission per lot that a group's `commissions` set for `symbol`, in the
/// wallet's currency: the entry `{"symbol": symbol, "perLot": x}` if any, else the entry
/// without a symbol (or with `"*"`), else 0. Entries without a non-negative decimal `perLot`
/// are not commissions of this engine and are skipped.
pub fn commission_per_lot(commissions: &Value, symbol: &str) -> Decimal {
    let mut any = None;
    for e in commissions.as_array().into_iter().flatten() {
        let per: Option<Decimal> = match e.get("perLot") {
            Some(Value::String(s)) => s.trim().parse().ok(),
            Some(Value::Number(n)) => n.to_string().parse().ok(),
            _ => None,
        };
        let Some(per) = per.filter(|d| !d.is_sign_negative()) else { continue };
        match e.get("symbol").and_then(Value::as_str) {
            Some(s) if s == symbol => return per,
            Some("*") | None => any = any.or(Some(per)),
            Some(_) => {}
        }
    }
    any.unwrap_or_default()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn codes_parse_in_any_case() {
        assert_eq!(Side::parse("side", "buy").unwrap(), Side::Buy);
        assert!(Side::parse("side", "hold").is_err());
        assert_eq!(CloseReason::StopOut.as_str(), "STOP_OUT");
    }

    #[test]
    fn stops_on_their_side() {
        assert!(check_stops(Side::Buy, 100, Some(90), Some(110)).is_ok());
        assert!(check_stops(Side::Buy, 100, Some(100), None).is_err());
        assert!(check_stops(Side::Buy, 100, None, Some(95)).is_err());
        assert!(check_stops(Side::Sell, 100, Some(110), Some(90)).is_ok());
        assert!(check_stops(Side::Sell, 100, Some(90), None).is_err());
    }

    #[test]
    fn pending_kinds() {
        assert_eq!(pending_kind(Side::Buy, 90, 100), OrderKind::Limit);
        assert_eq!(pending_kind(Side::Buy, 110, 100), OrderKind::Stop);
        assert_eq!(pending_kind(Side::Sell, 110, 100), OrderKind::Limit);
        assert_eq!(pending_kind(Side::Sell, 90, 100), OrderKind::Stop);
    }

    #[test]
    fn commissions_by_symbol_then_default() {
        let c =
            json!([{"symbol": "*", "perLot": "3"}, {"symbol": "EURUSD", "perLot": 7}, {"x": 1}]);
        assert_eq!(commission_per_lot(&c, "EURUSD"), Decimal::from(7));
        assert_eq!(commission_per_lot(&c, "GBPUSD"), Decimal::from(3));
        assert_eq!(commission_per_lot(&json!([]), "GBPUSD"), Decimal::ZERO);
        assert_eq!(commission_per_lot(&json!([{"perLot": "-1"}]), "X"), Decimal::ZERO);
        assert!(trailing_pct("t", Decimal::new(5, 1)).is_ok());
        assert!(trailing_pct("t", Decimal::ZERO).is_err());
    }
}
