//! Wire shapes of the Wallets tag: the wallet, its money, a wallet transaction, amounts
//! (JSON number or string, parsed exactly into `Money`), and the `Idempotency-Key` header.

use axum::http::HeaderMap;
use brokercrm_app::money::wallets::client::WalletBalance;
use brokercrm_app::money::wallets::{TransactionView, WalletMoney, WalletView};
use brokercrm_core::{Error, Money};
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

use crate::crm::money::groups::GroupDto;

/// A wallet's owner.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CustomerRefDto {
    /// The customer's UUID.
    pub id: String,
    pub account_id: i64,
    pub email: String,
    pub firstname: Option<String>,
    pub lastname: Option<String>,
}

/// A wallet. `balance`, `credit` and `equity` (decimal strings) appear where the operation
/// returns money; `transactions` and `instrumentWatchlist` in the client variants.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct WalletDto {
    pub id: i64,
    /// The owner's UUID.
    pub customer_id: String,
    pub customer: Option<CustomerRefDto>,
    /// `NEO` or `PRO`.
    #[schema(example = "NEO")]
    pub platform: String,
    /// `ACTIVE` or `DISABLED`.
    #[schema(example = "ACTIVE")]
    pub status: String,
    #[schema(example = "USD")]
    pub currency: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub group_id: Option<i64>,
    pub group: Option<GroupDto>,
    #[schema(example = 100)]
    pub leverage: i32,
    pub is_demo: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>, example = "1250.5")]
    pub balance: Option<Money>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>, example = "100")]
    pub credit: Option<Money>,
    /// Balance + credit + the floating P/L of open positions.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>, example = "1350.5")]
    pub equity: Option<Money>,
    /// The margin open positions need.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>, example = "108.5")]
    pub margin: Option<Money>,
    /// Equity − margin.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>, example = "1242")]
    pub free_margin: Option<Money>,
    /// Equity / margin in percent (null without margin).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>, example = "1244.7")]
    pub margin_level: Option<Option<Decimal>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transactions: Option<Vec<TransactionView>>,
    /// The symbols the client watches in this wallet (the Watchlists tag), in the order added.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instrument_watchlist: Option<Vec<String>>,
}

impl From<WalletView> for WalletDto {
    fn from(w: WalletView) -> Self {
        Self {
            id: w.id,
            customer_id: w.customer_id,
            customer: w.customer.map(|c| CustomerRefDto {
                id: c.id,
                account_id: c.account_id,
                email: c.email,
                firstname: c.firstname,
                lastname: c.lastname,
            }),
            platform: w.platform,
            status: w.status,
            currency: w.currency,
            created_at: w.created_at,
            updated_at: w.updated_at,
            group_id: w.group_id,
            group: w.group.map(GroupDto::from),
            leverage: w.leverage,
            is_demo: w.is_demo,
            balance: w.money.map(|m| m.balance),
            credit: w.money.map(|m| m.credit),
            equity: w.money.map(|m| m.equity),
            margin: w.money.map(|m| m.margin),
            free_margin: w.money.map(|m| m.free_margin),
            margin_level: w.money.map(|m| m.margin_level),
            transactions: None,
            instrument_watchlist: None,
        }
    }
}

impl WalletDto {
    /// The client variants' shape: with `transactions` and `instrumentWatchlist`.
    pub fn for_client(
        w: WalletView,
        transactions: Vec<TransactionView>,
        watchlist: Vec<String>,
    ) -> Self {
        Self {
            transactions: Some(transactions.into_iter().collect()),
            instrument_watchlist: Some(watchlist),
            ..Self::from(w)
        }
    }
}

/// `{"transactions": [...], "pages": n}`.
#[derive(Serialize, ToSchema)]
pub struct TransactionsResponse {
    pub transactions: Vec<TransactionView>,
    pub pages: u64,
}

impl TransactionsResponse {
    pub fn of((list, pages): (Vec<TransactionView>, u64)) -> Self {
        Self { transactions: list.into_iter().collect(), pages }
    }
}

/// `{"wallets": [...], "pages": n}`.
#[derive(Serialize, ToSchema)]
pub struct WalletsResponse {
    pub wallets: Vec<WalletDto>,
    pub pages: u64,
}

/// A wallet's money as decimal strings.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BalanceResponse {
    #[schema(value_type = String, example = "1250.5")]
    pub balance: Money,
    #[schema(value_type = String, example = "100")]
    pub credit: Money,
    /// Balance + credit + the floating P/L of open positions.
    #[schema(value_type = String, example = "1350.5")]
    pub equity: Money,
    /// The margin open positions need.
    #[schema(value_type = String, example = "108.5")]
    pub margin: Money,
    /// Equity − margin.
    #[schema(value_type = String, example = "1242")]
    pub free_margin: Money,
    /// Equity / margin in percent (null without margin).
    #[schema(value_type = Option<String>, example = "1244.7")]
    pub margin_level: Option<Decimal>,
    #[schema(example = "USD")]
    pub currency: String,
}

impl BalanceResponse {
    pub fn of((m, currency): (WalletMoney, String)) -> Self {
        Self {
            balance: m.balance,
            credit: m.credit,
            equity: m.equity,
            margin: m.margin,
            free_margin: m.free_margin,
            margin_level: m.margin_level,
            currency,
        }
    }
}

/// One wallet in "Get wallets balance".
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct WalletBalanceDto {
    pub id: i64,
    pub currency: String,
    pub is_demo: bool,
    #[schema(value_type = String)]
    pub balance: Money,
    #[schema(value_type = String)]
    pub credit: Money,
    #[schema(value_type = String)]
    pub equity: Money,
    #[schema(value_type = String)]
    pub margin: Money,
    #[schema(value_type = String)]
    pub free_margin: Money,
    #[schema(value_type = Option<String>)]
    pub margin_level: Option<Decimal>,
}

impl From<WalletBalance> for WalletBalanceDto {
    fn from(b: WalletBalance) -> Self {
        Self {
            id: b.id,
            currency: b.currency,
            is_demo: b.is_demo,
            balance: b.money.balance,
            credit: b.money.credit,
            equity: b.money.equity,
            margin: b.money.margin,
            free_margin: b.money.free_margin,
            margin_level: b.money.margin_level,
        }
    }
}

/// `{"success": true}`.
#[derive(Serialize, ToSchema)]
pub struct SuccessResponse {
    pub success: bool,
}

/// An amount from JSON: a number (read through its shortest decimal form, so `100.1` is
/// exactly 100.1) or a decimal string; at most 8 decimals. Errors name `field`.
pub fn money(field: &str, v: &Value) -> Result<Money, Error> {
    match v {
        Value::Number(n) => Money::parse(field, &n.to_string()),
        Value::String(s) => Money::parse(field, s.trim()),
        _ => Err(Error::field(field, "must be a number")),
    }
}

/// The `Idempotency-Key` header, if sent.
pub fn idempotency_key(headers: &HeaderMap) -> Result<Option<String>, Error> {
    match headers.get("idempotency-key") {
        None => Ok(None),
        Some(v) => v
            .to_str()
            .map(|s| Some(s.to_owned()))
            .map_err(|_| Error::field("Idempotency-Key", "must be visible ASCII")),
    }
}
