//! A manual transaction checked: the request, its wallet and accounts read before any write
//! (`prepare`), and what follows its posting in the writing transaction (`hook`: the deposit
//! event; `audit_entry`). Imported by `lane` and `alone`; imports neither.

use brokercrm_core::identity::auth::Permission;
use brokercrm_core::money::ledger::{AccountKey, AccountKind, NewTransfer, Policy, TransferId};
use brokercrm_core::money::wallets::{MANUAL_PROVIDER, ManualMove, ManualType, check_real};
use brokercrm_core::{Currency, Error, Money, Result};
use brokercrm_store::repo::money::ledger::accounts;
use brokercrm_store::repo::money::wallets::WalletRow;

use crate::money::events::DepositPosted;
use crate::money::wallets::{currency_of, visible};
use crate::platform::audit::Audit;
use crate::{App, Principal};

/// The admin manual transaction of "Get wallet transactions".
#[derive(Debug, Clone)]
pub struct ManualInput {
    pub kind: String,
    pub currency: Option<String>,
    pub method: Option<String>,
    pub comment: Option<String>,
    pub add_to_credit: bool,
    pub amount: Money,
}

/// A manual transaction as asked, its input validated and its id derived.
#[derive(Clone)]
pub(crate) struct Manual {
    pub actor: Principal,
    pub wallet_id: i64,
    pub kind: ManualType,
    pub movement: ManualMove,
    pub input: ManualInput,
    pub comment: Option<String>,
    pub method: Option<String>,
    pub id: TransferId,
}

/// A manual transaction ready for the lane: its wallet as read and its transfer between
/// accounts that exist.
pub(crate) struct Prepared {
    pub manual: Manual,
    pub wallet: WalletRow,
    pub transfer: NewTransfer,
    /// The wallet's balance and credit accounts, where opened (for the answer's page).
    pub accounts: (Option<i64>, Option<i64>),
}

/// The wallet `m` is for, checked: visible to the actor, real, in the currency asked.
pub(super) fn check_wallet(m: &Manual, w: &WalletRow) -> Result<Currency> {
    // Manual transactions move real house money; a demo wallet takes the demo top-up.
    check_real("walletId", w.is_demo)?;
    let currency = currency_of(w)?;
    if let Some(c) = m.input.currency.as_deref()
        && Currency::parse("currency", c.trim())? != currency
    {
        return Err(Error::field("currency", format!("must be the wallet's currency {currency}")));
    }
    Ok(currency)
}

/// The keys (with the policy each opens with) of the wallet-side account and of the house
/// account of `m` on wallet `w`.
pub(super) fn keys(
    m: &Manual,
    w: &WalletRow,
    currency: Currency,
) -> Result<[(AccountKey, Policy); 2]> {
    let side =
        if m.input.add_to_credit { AccountKind::WalletCredit } else { AccountKind::WalletBalance };
    let wallet = AccountKey::wallet(side, w.id, currency, w.is_demo)?;
    let house = match m.movement.house {
        AccountKind::CashClearing => AccountKey::cash_clearing(MANUAL_PROVIDER, currency)?,
        kind => AccountKey::house(kind, currency)?,
    };
    Ok([(wallet, side.default_policy()), (house, m.movement.house.default_policy())])
}

/// The transfer of `m` between the wallet-side account and the house account.
pub(super) fn transfer_of(m: &Manual, wallet: i64, house: i64, currency: Currency) -> NewTransfer {
    let (debit, credit) = if m.movement.into_wallet { (house, wallet) } else { (wallet, house) };
    NewTransfer {
        id: m.id.clone(),
        debit_account_id: debit,
        credit_account_id: credit,
        amount: m.movement.amount,
        currency,
        code: m.movement.code,
        user_data: m.comment.clone(),
        pending: false,
    }
}

/// Reads (on the read pool) and checks what `m` needs; `None` when an account is not opened
/// yet (the movement then runs alone, which opens it).
pub(super) async fn prepare(app: &App, m: &Manual) -> Result<Option<Prepared>> {
    let conn = app.db().conn();
    let w = visible(conn, &m.actor, m.wallet_id, Permission::ManageWalletMoney).await?;
    let currency = check_wallet(m, &w)?;
    let [(wallet_key, _), (house_key, _)] = keys(m, &w, currency)?;
    // The wallet's other side too, in the same read: the answer lists both sides' transfers.
    let other =
        if m.input.add_to_credit { AccountKind::WalletBalance } else { AccountKind::WalletCredit };
    let other_key = AccountKey::wallet(other, w.id, currency, w.is_demo)?;
    let wanted = [wallet_key.key(), house_key.key(), other_key.key()];
    let found = accounts::find_by_keys(conn, &wanted).await?;
    let id_of = |k: &str| found.iter().find(|a| a.key == k).map(|a| a.id);
    let (Some(wallet), Some(house)) = (id_of(&wanted[0]), id_of(&wanted[1])) else {
        return Ok(None);
    };
    let accounts = if m.input.add_to_credit {
        (id_of(&wanted[2]), Some(wallet))
    } else {
        (Some(wallet), id_of(&wanted[2]))
    };
    let transfer = transfer_of(m, wallet, house, currency);
    Ok(Some(Prepared { manual: m.clone(), wallet: w, transfer, accounts }))
}

/// The event a manual transaction posted in the writing transaction publishes there (not on
/// a replay): a deposit into the balance is a `DepositPosted` (FTD, deposit bonuses, CPA,
/// e-mail). Its audit entry is [`audit_entry`].
pub(super) fn event_of(m: &Manual, w: &WalletRow, t: &NewTransfer) -> Option<DepositPosted> {
    (m.kind == ManualType::Deposit && !m.input.add_to_credit)
        .then(|| DepositPosted::new(w, &t.id, m.input.amount, t.currency, m.method.as_deref()))
}

/// The audit entry of a posted manual transaction.
pub(super) fn audit_entry(m: &Manual, t: &NewTransfer) -> Audit<'static> {
    let target = if m.input.add_to_credit { "credit" } else { "balance" };
    let currency = t.currency;
    Audit::new("wallet.transaction", "wallet", m.wallet_id.to_string())
        .details(format!(
            "{} of {} {currency} to wallet {} {target} (transfer {}, method {})",
            m.kind.as_str(),
            m.input.amount,
            m.wallet_id,
            t.id,
            m.method.as_deref().unwrap_or("-"),
        ))
        .after(&serde_json::json!({
            "transferId": t.id, "type": m.kind.as_str(), "amount": m.input.amount,
            "currency": currency, "addToCredit": m.input.add_to_credit,
            "method": m.method, "comment": m.comment,
        }))
}
