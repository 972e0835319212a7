//! A transfer between two wallets as asked and as checked: the input, the request the lane
//! batches, the checks on the two wallets read, and the audit wording. Imported by `plan`,
//! `lane` and the use case; imports none of them.

use brokercrm_core::identity::auth::Permission;
use brokercrm_core::money::ledger::TransferId;
use brokercrm_core::money::wallets::{WalletStatus, check_may_exchange};
use brokercrm_core::{Error, Money, Result};
use brokercrm_store::repo::money::wallets::WalletRow;

use crate::Principal;
use crate::money::wallets::seen;

/// "Transfer money between wallets" input.
#[derive(Debug, Clone, Copy)]
pub struct TransferInput {
    pub source_wallet_id: i64,
    pub target_wallet_id: i64,
    pub amount: Money,
}

/// A transfer between two wallets, its input validated and its id derived.
pub(crate) struct Request {
    pub actor: Principal,
    pub input: TransferInput,
    pub id: TransferId,
}

/// What the batch did with a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Batched {
    /// Applied now, or before (a replay of the same body).
    Applied,
    /// Not for the batch (two currencies, an account not opened yet, or the batch failed):
    /// the requester runs it in its own transaction.
    Alone,
}

pub(super) fn check_input(input: TransferInput) -> Result<()> {
    if input.source_wallet_id == input.target_wallet_id {
        return Err(Error::field("targetWalletId", "must differ from sourceWalletId"));
    }
    if !input.amount.is_positive() {
        return Err(Error::field("amount", "must be greater than zero"));
    }
    Ok(())
}

/// The wallets of a transfer as read (`None`: missing), checked: both visible to `actor`, one
/// owner, both demo or both real ([`check_may_exchange`]), both active. The single path, the
/// batch lane and its PostgreSQL statement path all decide through here.
pub(crate) fn check_pair(
    actor: &Principal,
    src: Option<WalletRow>,
    dst: Option<WalletRow>,
) -> Result<(WalletRow, WalletRow)> {
    let perm = Permission::ManageWalletMoney;
    let src = seen(actor, src, perm).map_err(|e| match e {
        Error::NotFound(_) => Error::field("sourceWalletId", "no such wallet"),
        other => other,
    })?;
    let dst = seen(actor, dst, perm).map_err(|e| match e {
        Error::NotFound(_) => Error::field("targetWalletId", "no such wallet"),
        other => other,
    })?;
    if src.user_id != dst.user_id {
        return Err(Error::field("targetWalletId", "must belong to the source wallet's owner"));
    }
    check_may_exchange("targetWalletId", src.is_demo, dst.is_demo)?;
    active("sourceWalletId", &src)?;
    active("targetWalletId", &dst)?;
    Ok((src, dst))
}

/// The audit details of a transfer within one currency.
pub(crate) fn same_currency_details(
    amount: Money,
    src: &WalletRow,
    dst: &WalletRow,
    id: &TransferId,
) -> String {
    format!("{amount} {} from wallet {} to wallet {} (transfer {id})", src.currency, src.id, dst.id)
}

fn active(field: &str, w: &WalletRow) -> Result<()> {
    if w.status == WalletStatus::Active.as_str() {
        Ok(())
    } else {
        Err(Error::field(field, "the wallet is disabled"))
    }
}
