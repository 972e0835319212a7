//! Opening ledger accounts (a wallet's balance and credit accounts, house accounts per
//! currency) and reading an account's balance: posted, pending and available.

use brokercrm_core::money::ledger::{AccountKey, AccountKind};
use brokercrm_core::{Currency, Error, Money, Result};
use brokercrm_store::Db;
use brokercrm_store::repo::money::ledger::{AccountRow, accounts};

/// An account's money: `available = balance - pending_debits` is what may be spent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Balance {
    pub account_id: i64,
    pub currency: Currency,
    pub balance: Money,
    pub pending_debits: Money,
    pub pending_credits: Money,
    pub available: Money,
}

impl TryFrom<&AccountRow> for Balance {
    type Error = Error;
    fn try_from(a: &AccountRow) -> Result<Self> {
        let currency = Currency::parse("currency", &a.currency)
            .map_err(|_| Error::internal(format!("ledger account {}: bad currency", a.id)))?;
        let available = a
            .balance
            .checked_sub(a.pending_debits)
            .ok_or_else(|| Error::internal(format!("ledger account {}: overflow", a.id)))?;
        Ok(Self {
            account_id: a.id,
            currency,
            balance: Money::from_minor(a.balance),
            pending_debits: Money::from_minor(a.pending_debits),
            pending_credits: Money::from_minor(a.pending_credits),
            available: Money::from_minor(available),
        })
    }
}

/// The balance of account `id`.
pub async fn balance(db: &Db, id: i64) -> Result<Balance> {
    let row = accounts::find(db.conn(), id).await?.ok_or(Error::NotFound("ledger account"))?;
    Balance::try_from(&row)
}

/// A wallet's two accounts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WalletAccounts {
    pub balance: i64,
    pub credit: i64,
}

/// Gets or creates the balance and credit accounts of (real) wallet `wallet_id` in `currency`.
pub async fn open_wallet_accounts(
    db: &Db,
    wallet_id: i64,
    currency: Currency,
) -> Result<WalletAccounts> {
    let mut ids = [0i64; 2];
    for (slot, kind) in ids.iter_mut().zip([AccountKind::WalletBalance, AccountKind::WalletCredit])
    {
        let key = AccountKey::wallet(kind, wallet_id, currency, false)?;
        *slot = accounts::get_or_create(db.conn(), &key, kind.default_policy()).await?.id;
    }
    Ok(WalletAccounts { balance: ids[0], credit: ids[1] })
}

/// Gets or creates a house account: `provider` names the payment provider for cash clearing
/// (required for it, refused for the other kinds).
pub async fn house_account(
    db: &Db,
    kind: AccountKind,
    currency: Currency,
    provider: Option<&str>,
) -> Result<i64> {
    let key = match (kind, provider) {
        (AccountKind::CashClearing, Some(p)) => AccountKey::cash_clearing(p, currency)?,
        (AccountKind::CashClearing, None) => return Err(Error::field("provider", "is required")),
        (_, Some(_)) => return Err(Error::field("provider", "only cash clearing has a provider")),
        (k, None) => AccountKey::house(k, currency)?,
    };
    Ok(accounts::get_or_create(db.conn(), &key, kind.default_policy()).await?.id)
}
