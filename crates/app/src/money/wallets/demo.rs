//! "Top up demo wallet with a specific amount" (Payment Providers tag): play money for a demo
//! wallet, as a ledger DEPOSIT from the demo provider's cash-clearing account, so demo
//! balances stay explainable from their transfers like real ones.

use brokercrm_core::identity::auth::Permission;
use brokercrm_core::money::ledger::{
    AccountKey, AccountKind, NewTransfer, TransferCode, TransferId,
};
use brokercrm_core::{Currency, Error, Money, Result};
use brokercrm_store::db;
use brokercrm_store::repo::money::ledger::{accounts, apply};

use super::{currency_of, ledger_accounts, views, visible};
use crate::money::ledger::body_hash;
use crate::{App, Principal};

/// Most play money one top-up may add (whole units).
const MAX_TOP_UP_UNITS: i64 = 1_000_000;

/// Adds `amount` to demo wallet `wallet_id` (the caller's own; staff need ManageWalletMoney);
/// returns the new balance. `currency`, if given, must be the wallet's.
pub async fn top_up(
    app: &App,
    actor: &Principal,
    wallet_id: i64,
    amount: Money,
    currency: Option<&str>,
) -> Result<Money> {
    let max = Money::from_units(MAX_TOP_UP_UNITS).unwrap_or(Money::MAX);
    if !amount.is_positive() || amount > max {
        return Err(Error::field("amount", format!("must be above 0 and at most {max}")));
    }
    let tx = app.db().begin_write().await?;
    let w = visible(&tx, actor, wallet_id, Permission::ManageWalletMoney).await.map_err(
        |e| match e {
            Error::NotFound(_) => Error::field("walletId", "no such wallet"),
            other => other,
        },
    )?;
    if !w.is_demo {
        return Err(Error::field("walletId", "is not a demo wallet"));
    }
    let cur = currency_of(&w)?;
    if let Some(c) = currency
        && Currency::parse("currency", c.trim())? != cur
    {
        return Err(Error::field("currency", format!("must be the wallet's currency {cur}")));
    }
    let (balance, _) = ledger_accounts(&tx, &w).await?;
    // The demo book's clearing account: demo money never meets a real account.
    let key = AccountKey::demo_clearing(cur);
    let kind = AccountKind::CashClearing;
    let house = accounts::get_or_create(&tx, &key, kind.default_policy()).await?.id;
    let t = NewTransfer {
        id: TransferId::generate(),
        debit_account_id: house,
        credit_account_id: balance,
        amount,
        currency: cur,
        code: TransferCode::Deposit,
        user_data: Some("demo top-up".to_owned()),
        pending: false,
    };
    t.validate()?;
    apply::transfer(&tx, &t, &body_hash(&t.fingerprint())).await?;
    let money = views::money_of(&tx, &[w.id]).await?;
    db::commit(tx).await?;
    money.get(&w.id).map(|m| m.balance).ok_or_else(|| Error::internal("wallet money missing"))
}
