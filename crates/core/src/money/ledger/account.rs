//! Ledger accounts: their kinds, who owns them, the unique key that finds them, and the
//! balance policy (floor and overdraft) each kind starts with.

use crate::{Currency, Error, Money, Result};

/// Largest magnitude a balance or a pending sum may reach (2^61 minor units, about 23 billion
/// units). Keeping every stored quantity within it means `balance - pending_debits - floor`
/// cannot overflow a `BIGINT` in the conditional updates that guard spending.
pub const LIMIT: i64 = 1 << 61;

wire_code!(
    /// What an account holds. Wallet kinds belong to one wallet; the others are the broker's
    /// house accounts, one per currency (cash clearing: one per payment provider and currency).
    AccountKind {
        WalletBalance = "wallet_balance",
        WalletCredit = "wallet_credit",
        CashClearing = "cash_clearing",
        BonusExpense = "bonus_expense",
        Fees = "fees",
        CommissionsPayable = "commissions_payable",
        CoinsLiability = "coins_liability",
        TradingPnl = "trading_pnl",
        Adjustments = "adjustments",
        FxConversion = "fx_conversion",
        CustomerCoins = "customer_coins",
        CommissionExpense = "commission_expense",
    }
);

impl AccountKind {
    /// Whether the account belongs to a wallet (else it is a house account).
    pub fn is_wallet(self) -> bool {
        matches!(self, Self::WalletBalance | Self::WalletCredit)
    }

    /// The policy an account of this kind is opened with: wallet money cannot go below zero
    /// (pending withdrawals included); house accounts take the other side of every movement
    /// and may go negative.
    pub fn default_policy(self) -> Policy {
        if self.is_wallet() || self == Self::CustomerCoins {
            Policy { floor: Money::ZERO, allows_overdraft: false }
        } else {
            Policy { floor: Money::ZERO, allows_overdraft: true }
        }
    }
}

/// How low an account may go: `balance - pending_debits >= floor` unless `allows_overdraft`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    pub floor: Money,
    pub allows_overdraft: bool,
}

impl Policy {
    /// A policy whose floor is within [`LIMIT`].
    pub fn new(floor: Money, allows_overdraft: bool) -> Result<Self> {
        if floor.minor().unsigned_abs() > LIMIT.unsigned_abs() {
            return Err(Error::field("floor", "is out of range"));
        }
        Ok(Self { floor, allows_overdraft })
    }

    /// Whether an account with `balance` and `pending_debits` may be debited `amount` more.
    pub fn allows_debit(&self, balance: Money, pending_debits: Money, amount: Money) -> bool {
        if self.allows_overdraft {
            return true;
        }
        let headroom = i128::from(balance.minor())
            - i128::from(pending_debits.minor())
            - i128::from(self.floor.minor());
        headroom >= i128::from(amount.minor())
    }
}

/// Who an account belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum AccountOwner {
    /// A wallet (its integer id, as the seed shows).
    Wallet(i64),
    /// The broker, one account per kind and currency.
    House,
    /// The broker's clearing account with one payment provider (its code).
    Provider(String),
    /// A customer (user id): their loyalty coins.
    Customer(i64),
}

/// The identity of an account: kind, currency and owner. Its [`AccountKey::key`] is unique in
/// storage, so a house account is found or created by it without a race.
///
/// Every account also sits in one book, real or demo ([`AccountKey::demo`]): a demo wallet's
/// accounts and the demo provider's clearing account hold play money, everything else real
/// money. A transfer between accounts of two books is refused ([`super::transfer::mixed_books`]).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct AccountKey {
    kind: AccountKind,
    currency: Currency,
    owner: AccountOwner,
    demo: bool,
}

/// The payment provider whose clearing account is the other side of demo top-ups.
pub const DEMO_PROVIDER: &str = "demo";

const PROVIDER_RULE: &str = "must be 1-64 characters: lower-case letters, digits, '_' or '-'";

impl AccountKey {
    /// A wallet's balance or credit account, in the demo book when the wallet `demo`.
    pub fn wallet(
        kind: AccountKind,
        wallet_id: i64,
        currency: Currency,
        demo: bool,
    ) -> Result<Self> {
        if !kind.is_wallet() {
            return Err(Error::field("kind", "is not a wallet account kind"));
        }
        if wallet_id <= 0 {
            return Err(Error::field("walletId", "must be a positive integer"));
        }
        Ok(Self { kind, currency, owner: AccountOwner::Wallet(wallet_id), demo })
    }

    /// A house account other than cash clearing.
    pub fn house(kind: AccountKind, currency: Currency) -> Result<Self> {
        if kind.is_wallet()
            || matches!(kind, AccountKind::CashClearing | AccountKind::CustomerCoins)
        {
            return Err(Error::field("kind", "is not a per-currency house account kind"));
        }
        Ok(Self { kind, currency, owner: AccountOwner::House, demo: false })
    }

    /// A house account of the real or the demo book (the demo book's trading P/L takes the
    /// other side of demo wallets' trades; its key starts with `demo:`).
    pub fn book_house(kind: AccountKind, currency: Currency, demo: bool) -> Result<Self> {
        Ok(Self { demo, ..Self::house(kind, currency)? })
    }

    /// The cash clearing account of (real) payment provider `provider`; [`DEMO_PROVIDER`] is
    /// reserved for [`AccountKey::demo_clearing`].
    pub fn cash_clearing(provider: &str, currency: Currency) -> Result<Self> {
        if provider == DEMO_PROVIDER {
            return Err(Error::field("provider", "is reserved for demo money"));
        }
        let ok = (1..=64).contains(&provider.len())
            && provider
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-');
        if !ok {
            return Err(Error::field("provider", PROVIDER_RULE));
        }
        let owner = AccountOwner::Provider(provider.to_owned());
        Ok(Self { kind: AccountKind::CashClearing, currency, owner, demo: false })
    }

    /// The clearing account demo money comes from (demo top-ups), in the demo book.
    pub fn demo_clearing(currency: Currency) -> Self {
        let owner = AccountOwner::Provider(DEMO_PROVIDER.to_owned());
        Self { kind: AccountKind::CashClearing, currency, owner, demo: true }
    }

    /// A customer's loyalty coins (currency `COINS`, never below zero).
    pub fn customer_coins(user_id: i64) -> Result<Self> {
        if user_id <= 0 {
            return Err(Error::field("customerId", "must be a positive integer"));
        }
        let owner = AccountOwner::Customer(user_id);
        Ok(Self { kind: AccountKind::CustomerCoins, currency: Currency::COINS, owner, demo: false })
    }

    /// What the broker owes introducer (IB) `user_id` in commissions, in `currency`: credited
    /// by each accrual, debited by payouts; never below zero.
    pub fn introducer_commissions(user_id: i64, currency: Currency) -> Result<Self> {
        if user_id <= 0 {
            return Err(Error::field("introducerId", "must be a positive integer"));
        }
        let owner = AccountOwner::Customer(user_id);
        Ok(Self { kind: AccountKind::CommissionsPayable, currency, owner, demo: false })
    }

    pub fn kind(&self) -> AccountKind {
        self.kind
    }
    pub fn currency(&self) -> Currency {
        self.currency
    }
    pub fn owner(&self) -> &AccountOwner {
        &self.owner
    }
    /// Whether the account is in the demo book (play money).
    pub fn demo(&self) -> bool {
        self.demo
    }
    pub fn wallet_id(&self) -> Option<i64> {
        match self.owner {
            AccountOwner::Wallet(id) => Some(id),
            _ => None,
        }
    }
    pub fn provider(&self) -> Option<&str> {
        match &self.owner {
            AccountOwner::Provider(p) => Some(p),
            _ => None,
        }
    }

    /// The unique storage key, e.g. `wallet:42:wallet_balance:USD`, `house:fees:EUR`,
    /// `provider:bitstamp:cash_clearing:BTC`. At most 100 characters.
    pub fn key(&self) -> String {
        let (k, c) = (self.kind.as_str(), self.currency);
        match &self.owner {
            AccountOwner::Wallet(id) => format!("wallet:{id}:{k}:{c}"),
            AccountOwner::House if self.demo => format!("demo:house:{k}:{c}"),
            AccountOwner::House => format!("house:{k}:{c}"),
            AccountOwner::Provider(p) => format!("provider:{p}:{k}:{c}"),
            AccountOwner::Customer(id) => format!("customer:{id}:{k}:{c}"),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_distinct_per_owner_kind_and_currency() {
        let a = AccountKey::wallet(AccountKind::WalletBalance, 42, Currency::USD, false).unwrap();
        let b = AccountKey::wallet(AccountKind::WalletCredit, 42, Currency::USD, false).unwrap();
        let c = AccountKey::house(AccountKind::Fees, Currency::USD).unwrap();
        let d = AccountKey::cash_clearing("bitstamp", Currency::BTC).unwrap();
        assert_eq!(a.key(), "wallet:42:wallet_balance:USD");
        assert_eq!(b.key(), "wallet:42:wallet_credit:USD");
        assert_eq!(c.key(), "house:fees:USD");
        assert_eq!(d.key(), "provider:bitstamp:cash_clearing:BTC");
        assert_eq!(a.wallet_id(), Some(42));
        assert_eq!(d.provider(), Some("bitstamp"));
    }

    #[test]
    fn owners_must_match_kinds() {
        assert!(AccountKey::wallet(AccountKind::Fees, 1, Currency::USD, false).is_err());
        assert!(AccountKey::wallet(AccountKind::WalletBalance, 0, Currency::USD, false).is_err());
        assert!(AccountKey::cash_clearing(DEMO_PROVIDER, Currency::USD).is_err());
        let demo = AccountKey::demo_clearing(Currency::USD);
        assert!(demo.demo() && demo.key() == "provider:demo:cash_clearing:USD");
        let w = AccountKey::wallet(AccountKind::WalletBalance, 7, Currency::USD, true).unwrap();
        assert!(w.demo() && w.key() == "wallet:7:wallet_balance:USD");
        assert!(AccountKey::house(AccountKind::WalletBalance, Currency::USD).is_err());
        assert!(AccountKey::house(AccountKind::CashClearing, Currency::USD).is_err());
        for bad in ["", "Bitstamp", "a b", &"x".repeat(65)] {
            assert!(AccountKey::cash_clearing(bad, Currency::USD).is_err(), "{bad}");
        }
    }

    #[test]
    fn wallets_have_a_zero_floor_and_house_accounts_overdraft() {
        let w = AccountKind::WalletBalance.default_policy();
        let m = Money::from_minor;
        assert!(w.allows_debit(m(100), m(40), m(60)));
        assert!(!w.allows_debit(m(100), m(40), m(61)));
        assert!(AccountKind::Fees.default_policy().allows_debit(m(0), m(0), m(1)));
        assert!(Policy::new(Money::MAX, false).is_err());
    }
}
