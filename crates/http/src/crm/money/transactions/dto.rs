//! Wire shapes of transactions: the transaction object, the ITransactionFilters query
//! parameters, and amounts (a JSON number or a decimal string, parsed exactly).

use brokercrm_app::money::transactions::TransactionView;
use brokercrm_app::money::transactions::list::FilterInput;
use brokercrm_core::{Error, Money};
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use crate::crm::money::wallets::dto::{query_one, query_u64};

/// A transaction: a ledger transfer of a wallet with its payment request, if any.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TransactionDto {
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

impl From<TransactionView> for TransactionDto {
    fn from(v: TransactionView) -> Self {
        Self {
            id: v.id,
            kind: v.kind,
            status: v.status,
            amount: v.amount,
            final_amount: v.final_amount,
            currency: v.currency,
            wallet_id: v.wallet_id,
            counterpart_wallet_id: v.counterpart_wallet_id,
            customer_id: v.customer_id,
            provider: v.provider,
            method: v.method,
            wallet_address: v.wallet_address,
            comment: v.comment,
            reviewer_id: v.reviewer_id,
            reviewed_at: v.reviewed_at,
            external_id: v.external_id,
            payout_status: v.payout_status,
            created_at: v.created_at,
        }
    }
}

/// `{"transaction": {...}}`.
#[derive(Serialize, ToSchema)]
pub struct TransactionResponse {
    pub transaction: TransactionDto,
}

fn date(p: &[(String, String)], name: &str) -> Result<Option<DateTime<Utc>>, Error> {
    match query_one(p, name).filter(|s| !s.trim().is_empty()) {
        None => Ok(None),
        Some(raw) => DateTime::parse_from_rfc3339(raw.trim())
            .map(|d| Some(d.with_timezone(&Utc)))
            .map_err(|_| Error::field(name, "must be an RFC 3339 date-time")),
    }
}

fn int(p: &[(String, String)], name: &str) -> Result<Option<i64>, Error> {
    query_u64(p, name)?
        .map(|v| i64::try_from(v).map_err(|_| Error::field(name, "is too large")))
        .transpose()
}

/// ITransactionFilters from the query (flat names, or `filters[name]`), plus `sortBy`,
/// `search` and the export's `filter` (an alias of `search`).
pub fn filters(p: &[(String, String)]) -> Result<FilterInput, Error> {
    // `filters[x]=` and `x=` are the same parameter.
    let flat: Vec<(String, String)> = p
        .iter()
        .map(|(k, v)| {
            let k = k
                .strip_prefix("filters[")
                .and_then(|k| k.strip_suffix(']'))
                .unwrap_or(k)
                .to_owned();
            (k, v.clone())
        })
        .collect();
    let p = &flat;
    Ok(FilterInput {
        kind: query_one(p, "type"),
        status: query_one(p, "status"),
        wallet_id: int(p, "walletId")?,
        customer_id: int(p, "customerId")?,
        currency: query_one(p, "currency"),
        start_date: date(p, "startDate")?,
        end_date: date(p, "endDate")?,
        search: query_one(p, "search").or_else(|| query_one(p, "filter")),
        sort_by: query_one(p, "sortBy"),
    })
}
