//! Wallet rules: platforms, statuses, leverage (bounds from `trading::groups`), the admin
//! manual transaction types and how each moves money, and the namespacing of client
//! idempotency keys.
//! No IO: `store` persists wallets and groups, `app` runs the use cases over the ledger.

use crate::money::ledger::{AccountKind, TransferCode, TransferId};
use crate::{Error, Money, Result};

/// Leverage is a trading-group rule; wallets apply the same bounds.
pub use crate::money::groups::{MAX_LEVERAGE, leverage};

macro_rules! wire_enum {
    ($(#[$m:meta])* $name:ident { $($var:ident = $s:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        pub enum $name { $(#[serde(rename = $s)] $var),+ }
        impl $name {
            /// The wire and storage name.
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
    /// The trading platform a wallet is opened on (the seed's `platform`).
    Platform { Neo = "NEO", Pro = "PRO" }
);

wire_enum!(
    /// Whether a wallet may move money. Disabled wallets keep their money and history.
    WalletStatus { Active = "ACTIVE", Disabled = "DISABLED" }
);

wire_enum!(
    /// The admin manual transaction of "Get wallet transactions".
    ManualType {
        Deposit = "DEPOSIT",
        Withdrawal = "WITHDRAWAL",
        Bonus = "BONUS",
        Correction = "CORRECTION",
    }
);

/// The leverages a client may choose when opening a wallet ("Get wallets leverages").
pub const CLIENT_LEVERAGES: &[i32] = &[1, 2, 5, 10, 20, 30, 50, 100, 200, 300, 400, 500];

/// Leverage used when neither the request nor the wallet's group gives one.
pub const DEFAULT_LEVERAGE: i32 = 100;

/// A client's leverage from text (`"100"` or `"1:100"`), one of [`CLIENT_LEVERAGES`].
pub fn client_leverage(field: &str, raw: &str) -> Result<i32> {
    let s = raw.trim();
    let s = s.strip_prefix("1:").unwrap_or(s);
    match s.parse::<i32>() {
        Ok(n) if CLIENT_LEVERAGES.contains(&n) => Ok(n),
        _ => Err(Error::field(field, format!("must be one of {CLIENT_LEVERAGES:?}"))),
    }
}

/// Which way a manual transaction moves money, relative to the wallet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ManualMove {
    /// The house account on the other side.
    pub house: AccountKind,
    /// True when money goes into the wallet (the house account is debited).
    pub into_wallet: bool,
    /// The positive amount moved.
    pub amount: Money,
    pub code: TransferCode,
}

impl ManualType {
    /// How a manual transaction of `amount` moves money. Only a CORRECTION may be negative
    /// (money taken out of the wallet); zero is refused for every type.
    pub fn movement(self, amount: Money) -> Result<ManualMove> {
        if amount.is_zero() || (amount.is_negative() && self != ManualType::Correction) {
            let rule = if self == ManualType::Correction {
                "must not be zero"
            } else {
                "must be greater than zero"
            };
            return Err(Error::field("amount", rule));
        }
        let abs = amount.checked_abs().ok_or_else(|| Error::field("amount", "is too large"))?;
        let (house, into_wallet, code) = match self {
            ManualType::Deposit => (AccountKind::CashClearing, true, TransferCode::Deposit),
            ManualType::Withdrawal => (AccountKind::CashClearing, false, TransferCode::Withdrawal),
            ManualType::Bonus => (AccountKind::BonusExpense, true, TransferCode::Bonus),
            ManualType::Correction => {
                (AccountKind::Adjustments, amount.is_positive(), TransferCode::Correction)
            }
        };
        Ok(ManualMove { house, into_wallet, amount: abs, code })
    }
}

/// Whether money may move between a wallet that `a_is_demo` and one that `b_is_demo`: demo
/// (play) money and real money never meet, so only two demo wallets or two real wallets may
/// exchange money. Every money path asks this (transfers single and batched, bonuses, coins,
/// deposits and withdrawals, manual transactions); the ledger holds the same rule on its
/// accounts' books (`ledger::AccountKey::demo`), so a path that forgot still cannot mix them.
pub fn may_exchange(a_is_demo: bool, b_is_demo: bool) -> bool {
    a_is_demo == b_is_demo
}

/// [`may_exchange`] as a validation error on `field` (the second wallet's).
pub fn check_may_exchange(field: &str, a_is_demo: bool, b_is_demo: bool) -> Result<()> {
    if may_exchange(a_is_demo, b_is_demo) {
        return Ok(());
    }
    let rule = if a_is_demo {
        "must be a demo wallet: demo money cannot move into a real wallet"
    } else {
        "must be a real wallet: demo money cannot move into a real wallet"
    };
    Err(Error::field(field, rule))
}

/// A wallet that `is_demo` on a path that moves real money (deposits, withdrawals, bonuses,
/// coins, manual transactions): refused on `field`, since the other side is a real house
/// account ([`may_exchange`] with a real account).
pub fn check_real(field: &str, is_demo: bool) -> Result<()> {
    if may_exchange(is_demo, false) {
        Ok(())
    } else {
        Err(Error::field(field, "is a demo wallet: demo and real money never meet"))
    }
}

/// The cash-clearing provider name of manual deposits and withdrawals.
pub const MANUAL_PROVIDER: &str = "manual";

/// The ledger transfer id for a request: the client's `Idempotency-Key` namespaced by the
/// caller (`u<user id>:<key>`, so two callers never collide), or a fresh id without one.
pub fn transfer_id(caller: i64, idempotency_key: Option<&str>) -> Result<TransferId> {
    match idempotency_key.map(str::trim) {
        None => Ok(TransferId::generate()),
        Some(k) if k.is_empty() || k.len() > 100 => {
            Err(Error::field("Idempotency-Key", "must be 1-100 visible ASCII characters"))
        }
        Some(k) => TransferId::parse("Idempotency-Key", &format!("u{caller}:{k}")),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn leverage_rules() {
        assert_eq!(leverage("leverage", 100.0).unwrap(), 100);
        assert!(leverage("leverage", 0.0).is_err());
        assert!(leverage("leverage", 1.5).is_err());
        assert!(leverage("leverage", 5000.0).is_err());
        assert_eq!(client_leverage("leverage", "1:200").unwrap(), 200);
        assert!(client_leverage("leverage", "7").is_err());
    }

    #[test]
    fn manual_movements() {
        let m = ManualType::Correction.movement(Money::from_minor(-5)).unwrap();
        assert!(!m.into_wallet);
        assert_eq!(m.amount, Money::from_minor(5));
        assert!(ManualType::Deposit.movement(Money::from_minor(-5)).is_err());
        assert!(ManualType::Bonus.movement(Money::ZERO).is_err());
        assert!(
            ManualType::Withdrawal.movement(Money::from_minor(1)).is_ok_and(|m| !m.into_wallet)
        );
    }

    #[test]
    fn demo_and_real_never_meet() {
        assert!(may_exchange(true, true) && may_exchange(false, false));
        assert!(!may_exchange(true, false) && !may_exchange(false, true));
        assert!(check_may_exchange("targetWalletId", true, false).is_err());
        assert!(check_may_exchange("targetWalletId", false, true).is_err());
        assert!(check_real("walletId", true).is_err());
        assert!(check_real("walletId", false).is_ok());
    }

    #[test]
    fn idempotency_keys_are_namespaced() {
        assert_eq!(transfer_id(7, Some("abc")).unwrap().as_str(), "u7:abc");
        assert!(transfer_id(7, Some("")).is_err());
        assert!(transfer_id(7, Some("a b")).is_err());
    }
}
