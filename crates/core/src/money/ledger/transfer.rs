//! Transfers: ids, codes, kinds and states, the two request shapes (a new transfer, and the
//! post or void of a pending one), their validation and their canonical body for idempotency.

use crate::money::ledger::account::LIMIT;
use crate::{Currency, Error, Money, Result};

wire_code!(
    /// The business type of a transfer (the seed's transaction `type`).
    TransferCode {
        Correction = "CORRECTION",
        Bonus = "BONUS",
        Deposit = "DEPOSIT",
        Withdrawal = "WITHDRAWAL",
        DepositBonus = "DEPOSIT_BONUS",
        AffiliateTransfer = "AFFILIATE_TRANSFER",
        Fee = "FEE",
        CoinsExchange = "COINS_EXCHANGE",
        WalletTransfer = "WALLET_TRANSFER",
        CommissionPayout = "COMMISSION_PAYOUT",
        TradingCommission = "TRADING_COMMISSION",
        TradingPnl = "TRADING_PNL",
        TradingSwap = "TRADING_SWAP",
        Commission = "COMMISSION",
    }
);

wire_code!(
    /// Where a transfer stands. Single, post and void rows are born final (`posted`, `posted`,
    /// `voided`); a pending row moves once, from `pending` to `posted` or `voided`.
    TransferState { Pending = "pending", Posted = "posted", Voided = "voided" }
);

wire_code!(
    /// What a transfer row does: moves posted money at once, reserves it, or resolves a
    /// reservation by posting (part of) it or voiding it.
    TransferKind {
        Single = "single",
        Pending = "pending",
        PostPending = "post_pending",
        VoidPending = "void_pending",
    }
);

impl TransferKind {
    /// Whether rows of this kind change posted balances (the amount of a post row is what
    /// was finally moved; a pending row moves nothing until posted).
    pub fn moves_posted(self) -> bool {
        matches!(self, Self::Single | Self::PostPending)
    }
}

/// The debit account cannot afford the amount (pending debits included): 422 on `amount`.
pub fn insufficient_funds() -> Error {
    Error::field("amount", "exceeds the available balance")
}

/// The two accounts are in different books (one demo, one real): demo and real money never
/// meet. Paths check their wallets first and name the field; this is the ledger's own refusal.
pub fn mixed_books() -> Error {
    Error::field("walletId", "demo and real money never meet")
}

/// The amount would take an account's balance or pending sums beyond [`LIMIT`].
pub fn beyond_limit() -> Error {
    Error::field("amount", "would take an account beyond its limit")
}

/// The pending transfer was already posted or voided by another decision.
pub fn already_resolved(state: TransferState) -> Error {
    Error::Conflict(format!("the pending transfer is already {state}"))
}

const ID_RULE: &str = "must be 1-128 visible ASCII characters";
const USER_DATA_MAX: usize = 1000;

/// A transfer id: the idempotency key. Visible ASCII, 1-128 characters (a UUID, or a
/// namespaced client `Idempotency-Key`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(transparent)]
pub struct TransferId(String);

impl TransferId {
    /// Validates `s`; errors name `field`.
    pub fn parse(field: &str, s: &str) -> Result<Self> {
        let ok = (1..=128).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_graphic());
        if ok { Ok(Self(s.to_owned())) } else { Err(Error::field(field, ID_RULE)) }
    }

    /// A fresh time-ordered id.
    pub fn generate() -> Self {
        Self(uuid::Uuid::now_v7().to_string())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for TransferId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

fn check_amount(field: &str, amount: Money) -> Result<()> {
    if !amount.is_positive() {
        return Err(Error::field(field, "must be greater than zero"));
    }
    if amount.minor() > LIMIT {
        return Err(Error::field(field, "is too large"));
    }
    Ok(())
}

fn check_user_data(user_data: Option<&str>) -> Result<()> {
    match user_data {
        Some(s) if s.chars().count() > USER_DATA_MAX => {
            Err(Error::field("comment", format!("must be at most {USER_DATA_MAX} characters")))
        }
        _ => Ok(()),
    }
}

/// A transfer to apply: immediately (`pending = false`) or as a reservation to post or void
/// later (`pending = true`: it counts against the debit account's available balance).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewTransfer {
    pub id: TransferId,
    pub debit_account_id: i64,
    pub credit_account_id: i64,
    pub amount: Money,
    pub currency: Currency,
    pub code: TransferCode,
    /// Free text kept with the transfer (the seed's `comment`).
    pub user_data: Option<String>,
    pub pending: bool,
}

impl NewTransfer {
    pub fn kind(&self) -> TransferKind {
        if self.pending { TransferKind::Pending } else { TransferKind::Single }
    }

    /// The rules that need no account: a positive amount within range, two different accounts.
    pub fn validate(&self) -> Result<()> {
        check_amount("amount", self.amount)?;
        if self.debit_account_id == self.credit_account_id {
            return Err(Error::field("creditAccountId", "must differ from the debit account"));
        }
        check_user_data(self.user_data.as_deref())
    }

    /// Both accounts must hold the transfer's currency.
    pub fn check_currencies(&self, debit: Currency, credit: Currency) -> Result<()> {
        if debit != self.currency || credit != self.currency {
            return Err(Error::field("currency", "must be the currency of both accounts"));
        }
        Ok(())
    }

    /// The canonical body compared on replay: every field but the id.
    pub fn fingerprint(&self) -> String {
        serde_json::json!([
            "v1",
            self.kind().as_str(),
            self.debit_account_id,
            self.credit_account_id,
            self.amount.minor(),
            self.currency.as_str(),
            self.code.as_str(),
            self.user_data,
        ])
        .to_string()
    }
}

/// What to do with a pending transfer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resolution {
    /// Move the reserved money; `amount` below the reserved one posts only that much (the
    /// seed's `changedAmount`) and releases the rest.
    Post { amount: Option<Money> },
    /// Release the reservation.
    Void,
}

/// Posting or voiding the pending transfer `pending_id`; itself a transfer with its own id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolveTransfer {
    pub id: TransferId,
    pub pending_id: TransferId,
    pub resolution: Resolution,
    pub user_data: Option<String>,
}

impl ResolveTransfer {
    pub fn kind(&self) -> TransferKind {
        match self.resolution {
            Resolution::Post { .. } => TransferKind::PostPending,
            Resolution::Void => TransferKind::VoidPending,
        }
    }

    /// The state the pending transfer moves to.
    pub fn target_state(&self) -> TransferState {
        match self.resolution {
            Resolution::Post { .. } => TransferState::Posted,
            Resolution::Void => TransferState::Voided,
        }
    }

    pub fn validate(&self) -> Result<()> {
        if self.id == self.pending_id {
            return Err(Error::field("id", "must differ from the pending transfer's id"));
        }
        if let Resolution::Post { amount: Some(a) } = self.resolution {
            check_amount("amount", a)?;
        }
        check_user_data(self.user_data.as_deref())
    }

    /// The amount this resolution moves out of a reservation of `reserved`: all of it, or the
    /// changed amount when it is not more than reserved. A void moves the whole reservation
    /// back to available.
    pub fn amount_of(&self, reserved: Money) -> Result<Money> {
        match self.resolution {
            Resolution::Post { amount: Some(a) } if a > reserved => {
                Err(Error::field("amount", "must not exceed the pending amount"))
            }
            Resolution::Post { amount: Some(a) } => Ok(a),
            Resolution::Post { amount: None } | Resolution::Void => Ok(reserved),
        }
    }

    /// The canonical body compared on replay.
    pub fn fingerprint(&self) -> String {
        let amount = match self.resolution {
            Resolution::Post { amount } => amount.map(Money::minor),
            Resolution::Void => None,
        };
        serde_json::json!([
            "v1",
            self.kind().as_str(),
            self.pending_id.as_str(),
            amount,
            self.user_data
        ])
        .to_string()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn t() -> NewTransfer {
        NewTransfer {
            id: TransferId::parse("id", "t-1").unwrap(),
            debit_account_id: 1,
            credit_account_id: 2,
            amount: Money::from_minor(5),
            currency: Currency::USD,
            code: TransferCode::Deposit,
            user_data: None,
            pending: false,
        }
    }

    #[test]
    fn validates_amount_accounts_and_currency() {
        assert!(t().validate().is_ok());
        assert!(NewTransfer { amount: Money::ZERO, ..t() }.validate().is_err());
        assert!(NewTransfer { amount: Money::from_minor(-1), ..t() }.validate().is_err());
        assert!(NewTransfer { amount: Money::MAX, ..t() }.validate().is_err());
        assert!(NewTransfer { credit_account_id: 1, ..t() }.validate().is_err());
        assert!(NewTransfer { user_data: Some("x".repeat(1001)), ..t() }.validate().is_err());
        assert!(t().check_currencies(Currency::USD, Currency::USD).is_ok());
        assert!(t().check_currencies(Currency::USD, Currency::EUR).is_err());
    }

    #[test]
    fn fingerprint_covers_every_field_but_the_id() {
        let a = t();
        let same = NewTransfer { id: TransferId::parse("id", "other").unwrap(), ..t() };
        assert_eq!(a.fingerprint(), same.fingerprint());
        for other in [
            NewTransfer { amount: Money::from_minor(6), ..t() },
            NewTransfer { debit_account_id: 3, ..t() },
            NewTransfer { credit_account_id: 3, ..t() },
            NewTransfer { currency: Currency::EUR, ..t() },
            NewTransfer { code: TransferCode::Bonus, ..t() },
            NewTransfer { user_data: Some(String::new()), ..t() },
            NewTransfer { pending: true, ..t() },
        ] {
            assert_ne!(a.fingerprint(), other.fingerprint(), "{other:?}");
        }
    }

    #[test]
    fn codes_use_the_seed_names() {
        assert_eq!(TransferCode::CommissionPayout.as_str(), "COMMISSION_PAYOUT");
        assert_eq!(TransferCode::parse("type", "FEE").unwrap(), TransferCode::Fee);
        assert!(TransferCode::parse("type", "fee").is_err());
        assert_eq!(
            serde_json::to_string(&TransferCode::WalletTransfer).unwrap(),
            "\"WALLET_TRANSFER\""
        );
        assert_eq!(TransferCode::TradingSwap.as_str(), "TRADING_SWAP");
        assert_eq!(TransferCode::ALL.len(), 14);
    }

    #[test]
    fn resolutions_post_at_most_the_reserved_amount() {
        let id = |s: &str| TransferId::parse("id", s).unwrap();
        let post = |a| ResolveTransfer {
            id: id("p"),
            pending_id: id("r"),
            resolution: Resolution::Post { amount: a },
            user_data: None,
        };
        let r = Money::from_minor(10);
        assert_eq!(post(None).amount_of(r).unwrap(), r);
        assert_eq!(post(Some(Money::from_minor(4))).amount_of(r).unwrap().minor(), 4);
        assert!(post(Some(Money::from_minor(11))).amount_of(r).is_err());
        assert!(post(Some(Money::ZERO)).validate().is_err());
        assert!(ResolveTransfer { pending_id: id("p"), ..post(None) }.validate().is_err());
        let void = ResolveTransfer { resolution: Resolution::Void, ..post(None) };
        assert_ne!(void.fingerprint(), post(None).fingerprint());
        assert_eq!(void.target_state(), TransferState::Voided);
    }
}
