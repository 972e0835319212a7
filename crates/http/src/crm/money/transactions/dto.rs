//! Wire shapes of transactions: the transaction object, the ITransactionFilters query
//! parameters, and amounts (a JSON number or a decimal string, parsed exactly).

use brokercrm_app::money::transactions::TransactionView;
use brokercrm_app::money::transactions::list::FilterInput;
use brokercrm_core::{Error, Money};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

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

/// ITransactionFilters of the query (flat names, or `filters[name]`), plus `sortBy`,
/// `search` and the export's `filter` (an alias of `search`).
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(rename_all = "camelCase")]
pub struct FiltersQuery {
    /// createdAt (default) or amount
    pub sort_by: Option<String>,
    /// Transfer code, e.g. WITHDRAWAL
    #[param(rename = "type")]
    #[serde(rename = "type")]
    pub kind: Option<String>,
    /// A transaction id
    pub search: Option<String>,
    /// Ledger state: posted, pending, voided
    pub status: Option<String>,
    /// ITransactionFilters: one wallet
    #[param(value_type = Option<i64>)]
    pub wallet_id: Option<u64>,
    /// ITransactionFilters: one customer's wallets
    #[param(value_type = Option<i64>)]
    pub customer_id: Option<u64>,
    /// ITransactionFilters
    pub currency: Option<String>,
    /// ITransactionFilters: RFC 3339
    pub start_date: Option<String>,
    /// ITransactionFilters: RFC 3339
    pub end_date: Option<String>,
    /// The export's name of `search`.
    #[param(ignore)]
    pub filter: Option<String>,
}

impl FiltersQuery {
    /// The filters, dates checked.
    pub fn input(self) -> Result<FilterInput, Error> {
        Ok(FilterInput {
            kind: self.kind,
            status: self.status,
            // At most i64::MAX: the extractor checked.
            wallet_id: self.wallet_id.and_then(|v| i64::try_from(v).ok()),
            customer_id: self.customer_id.and_then(|v| i64::try_from(v).ok()),
            currency: self.currency,
            start_date: date(self.start_date, "startDate")?,
            end_date: date(self.end_date, "endDate")?,
            search: self.search.or(self.filter),
            sort_by: self.sort_by,
        })
    }
}

fn date(raw: Option<String>, name: &str) -> Result<Option<DateTime<Utc>>, Error> {
    match raw {
        None => Ok(None),
        Some(raw) => DateTime::parse_from_rfc3339(raw.trim())
            .map(|d| Some(d.with_timezone(&Utc)))
            .map_err(|_| Error::field(name, "must be an RFC 3339 date-time")),
    }
}
