//! Wire shapes of transactions: the transaction object, the ITransactionFilters query
//! parameters, and amounts (a JSON number or a decimal string, parsed exactly).

use brokercrm_app::money::transactions::TransactionView;
use brokercrm_app::money::transactions::list::FilterInput;
use brokercrm_core::Error;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// `{"transaction": {...}}`.
#[derive(Serialize, ToSchema)]
pub struct TransactionResponse {
    pub transaction: TransactionView,
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
