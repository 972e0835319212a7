//! A transaction as the API shows it: one ledger transfer seen from the wallet it touches,
//! with the payment request that explains it (if any). Built a page at a time: one query per
//! table, whatever the page size.

use std::collections::HashMap;

use brokercrm_core::{Money, Result};
use brokercrm_store::ConnectionTrait;
use brokercrm_store::repo::money::ledger::TransferRow;
use brokercrm_store::repo::money::ledger::accounts as account_repo;
use brokercrm_store::repo::money::payment_requests::{self, RequestRow};
use brokercrm_store::repo::money::wallets as wallet_repo;
use chrono::{DateTime, Utc};
use serde::Serialize;

/// One transaction.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = TransactionDto)]
pub struct TransactionView {
    /// The ledger transfer id (a withdrawal's or deposit's id).
    pub id: String,
    /// CORRECTION, BONUS, DEPOSIT, WITHDRAWAL, DEPOSIT_BONUS, AFFILIATE_TRANSFER, FEE,
    /// COINS_EXCHANGE, WALLET_TRANSFER or COMMISSION_PAYOUT.
    #[serde(rename = "type")]
    #[schema(example = "WITHDRAWAL")]
    pub kind: String,
    /// Payment request status (pending, approved, rejected, refunded, completed, failed) or
    /// the ledger state (posted, pending, voided).
    #[schema(example = "pending")]
    pub status: String,
    /// Decimal string, signed from the wallet's side.
    #[schema(value_type = String, example = "-100.5")]
    pub amount: Money,
    /// The amount finally moved when approval changed it.
    #[schema(value_type = Option<String>, example = "90")]
    pub final_amount: Option<Money>,
    #[schema(example = "USD")]
    pub currency: String,
    pub wallet_id: Option<i64>,
    pub counterpart_wallet_id: Option<i64>,
    /// The wallet owner's account id.
    pub customer_id: Option<i64>,
    #[schema(example = "test")]
    pub provider: Option<String>,
    /// Transfer method of a payout (bitstamp, trustology).
    pub method: Option<String>,
    pub wallet_address: Option<String>,
    pub comment: Option<String>,
    pub reviewer_id: Option<i64>,
    pub reviewed_at: Option<DateTime<Utc>>,
    /// The provider's reference.
    pub external_id: Option<String>,
    /// Payout of an approved withdrawal: null, `sending` or `sent`.
    pub payout_status: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// Views of `rows`, in order.
pub async fn build<C: ConnectionTrait>(
    conn: &C,
    rows: Vec<TransferRow>,
) -> Result<Vec<TransactionView>> {
    let mut account_ids: Vec<i64> =
        rows.iter().flat_map(|t| [t.debit_account_id, t.credit_account_id]).collect();
    account_ids.sort_unstable();
    account_ids.dedup();
    let accounts: HashMap<i64, i64> = account_repo::wallet_accounts_among(conn, &account_ids)
        .await?
        .into_iter()
        .filter_map(|a| a.wallet_id.map(|w| (a.id, w)))
        .collect();
    let mut wallet_ids: Vec<i64> = accounts.values().copied().collect();
    wallet_ids.sort_unstable();
    wallet_ids.dedup();
    let owners: HashMap<i64, i64> = wallet_repo::find_many(conn, &wallet_ids)
        .await?
        .into_iter()
        .map(|w| (w.id, w.user_id))
        .collect();
    let ids: Vec<String> = rows.iter().map(|t| t.transfer_id.clone()).collect();
    let requests: HashMap<String, RequestRow> = payment_requests::find_many(conn, &ids)
        .await?
        .into_iter()
        .map(|r| (r.id.clone(), r))
        .collect();
    Ok(rows
        .into_iter()
        .map(|t| {
            let debit = accounts.get(&t.debit_account_id).copied();
            let credit = accounts.get(&t.credit_account_id).copied();
            let amount = Money::from_minor(t.amount);
            let (wallet_id, counterpart, signed) = match (debit, credit) {
                (Some(d), c) => (Some(d), c, amount.checked_neg().unwrap_or(amount)),
                (None, c) => (c, None, amount),
            };
            let req = requests.get(&t.transfer_id);
            TransactionView {
                status: req.map_or_else(|| t.state.clone(), |r| r.status.clone()),
                final_amount: req.and_then(|r| r.final_amount).map(Money::from_minor),
                customer_id: wallet_id.and_then(|w| owners.get(&w).copied()),
                provider: req.map(|r| r.provider.clone()),
                method: req.and_then(|r| r.payout_method.clone()),
                wallet_address: req.and_then(|r| r.wallet_address.clone()),
                comment: match req {
                    Some(r) => r.comment.clone(),
                    None => t.user_data,
                },
                reviewer_id: req.and_then(|r| r.reviewer_id),
                reviewed_at: req.and_then(|r| r.reviewed_at),
                external_id: req.and_then(|r| r.external_id.clone()),
                payout_status: req.and_then(|r| r.payout_status.clone()),
                id: t.transfer_id,
                kind: t.code,
                amount: signed,
                currency: t.currency,
                wallet_id,
                counterpart_wallet_id: counterpart,
                created_at: t.created_at,
            }
        })
        .collect())
}

/// The view of transfer `id` if it touches a wallet.
pub async fn one<C: ConnectionTrait>(conn: &C, id: &str) -> Result<Option<TransactionView>> {
    let Some(t) = brokercrm_store::repo::money::ledger::transfers::find(conn, id).await? else {
        return Ok(None);
    };
    if !matches!(t.kind.as_str(), "single" | "pending") {
        return Ok(None);
    }
    let v = build(conn, vec![t]).await?.into_iter().next();
    Ok(v.filter(|v| v.wallet_id.is_some()))
}
