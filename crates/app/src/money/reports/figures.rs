//! The staff reports (ReadReports): profit/loss and balance per wallet over a range, and the
//! coins held, earned and exchanged per customer. Aggregated in SQL (`store::repo::reports`).

use brokercrm_core::identity::auth::Permission;
use brokercrm_core::{Money, Result};
use brokercrm_store::repo::money::ledger::reports::{
    self, BalanceRow, CoinsRow, ProfitLossRow, Window,
};
use serde::Serialize;

use super::{ListInput, Range};
use crate::money::scope::MoneyScope;
use crate::{App, Principal};

/// Columns `sortBy` accepts in the profit/loss report.
pub const PNL_SORT: &[&str] = &[
    "walletId",
    "customerId",
    "currency",
    "deposits",
    "withdrawals",
    "bonuses",
    "corrections",
    "transfers",
    "other",
    "netDeposits",
    "tradingPnl",
];
/// Columns `sortBy` accepts in the balance report.
pub const BALANCE_SORT: &[&str] = &[
    "walletId",
    "customerId",
    "currency",
    "openingBalance",
    "moneyIn",
    "moneyOut",
    "closingBalance",
    "openingCredit",
    "closingCredit",
];
/// Columns `sortBy` accepts in the coins report.
pub const COINS_SORT: &[&str] = &["accountId", "earned", "exchanged", "balance"];

/// One wallet's profit/loss over the range, in the wallet's currency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ProfitLossLine {
    pub wallet_id: i64,
    pub customer_id: i64,
    pub currency: String,
    /// Net of DEPOSIT movements (deposits in, minus any reversed out).
    pub deposits: Money,
    /// Net of WITHDRAWAL movements, as a positive amount out.
    pub withdrawals: Money,
    /// BONUS, DEPOSIT_BONUS and COINS_EXCHANGE movements (balance and credit).
    pub bonuses: Money,
    /// CORRECTION movements, signed.
    pub corrections: Money,
    /// WALLET_TRANSFER movements, signed (in minus out).
    pub transfers: Money,
    /// Any other code (FEE, AFFILIATE_TRANSFER, ...), signed.
    pub other: Money,
    /// deposits − withdrawals.
    pub net_deposits: Money,
    /// Realised trading P/L: 0 until the trading engine posts it (code TRADING_PNL).
    pub trading_pnl: Money,
}

impl From<ProfitLossRow> for ProfitLossLine {
    fn from(r: ProfitLossRow) -> Self {
        let m = Money::from_minor;
        Self {
            wallet_id: r.wallet_id,
            customer_id: r.customer_id,
            currency: r.currency,
            deposits: m(r.deposits),
            withdrawals: m(r.withdrawals),
            bonuses: m(r.bonuses),
            corrections: m(r.corrections),
            transfers: m(r.transfers),
            other: m(r.other),
            net_deposits: m(r.deposits.saturating_sub(r.withdrawals)),
            trading_pnl: Money::ZERO,
        }
    }
}

/// One wallet's balance and credit at `start` and `end`, and its balance flows between.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BalanceLine {
    pub wallet_id: i64,
    pub customer_id: i64,
    pub currency: String,
    pub opening_balance: Money,
    pub money_in: Money,
    pub money_out: Money,
    pub closing_balance: Money,
    pub opening_credit: Money,
    pub closing_credit: Money,
}

impl From<BalanceRow> for BalanceLine {
    fn from(r: BalanceRow) -> Self {
        let m = Money::from_minor;
        Self {
            wallet_id: r.wallet_id,
            customer_id: r.customer_id,
            currency: r.currency,
            opening_balance: m(r.opening_balance),
            money_in: m(r.money_in),
            money_out: m(r.money_out),
            closing_balance: m(r.closing_balance),
            opening_credit: m(r.opening_credit),
            closing_credit: m(r.closing_credit),
        }
    }
}

/// One customer's coins (decimal strings, one coin = 1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CoinsLine {
    pub customer_id: Option<i64>,
    pub account_id: i64,
    pub earned: Money,
    pub exchanged: Money,
    pub balance: Money,
}

impl From<CoinsRow> for CoinsLine {
    fn from(r: CoinsRow) -> Self {
        // The key is `customer:<user id>:customer_coins:COINS`.
        let customer_id =
            r.key.strip_prefix("customer:").and_then(|s| s.split(':').next()?.parse().ok());
        Self {
            customer_id,
            account_id: r.account_id,
            earned: Money::from_minor(r.earned),
            exchanged: Money::from_minor(r.exchanged),
            balance: Money::from_minor(r.balance),
        }
    }
}

/// `w` kept to the customers of the caller's scope (ReadReports; a manager: their desk's).
async fn scoped(app: &App, actor: &Principal, mut w: Window) -> Result<Window> {
    actor.require(Permission::ReadReports)?;
    let conn = app.db().conn();
    w.owners = MoneyScope::of(conn, actor, Permission::ReadReports).await?.customers(conn).await?;
    Ok(w)
}

/// Maps the wire column names the store does not know to the ones it does.
fn store_window(mut w: Window) -> Window {
    w.column = match w.column.as_str() {
        // Trading P/L is 0 everywhere until trading exists: the key order.
        "tradingPnl" => "walletId".into(),
        _ => w.column,
    };
    w
}

/// "Get profit loss report": one page of wallets with movements in the range, and the total.
pub async fn profit_loss(
    app: &App,
    actor: &Principal,
    range: Range,
    list: &ListInput,
) -> Result<(Vec<ProfitLossLine>, u64)> {
    let w = scoped(app, actor, store_window(list.window(PNL_SORT, "walletId")?)).await?;
    let (rows, total) = reports::profit_loss(app.db().conn(), range.start, range.end, &w).await?;
    Ok((rows.into_iter().map(Into::into).collect(), total))
}

/// "Get balance report": one page of real wallets that existed before `end`, and the total.
pub async fn balance(
    app: &App,
    actor: &Principal,
    range: Range,
    list: &ListInput,
) -> Result<(Vec<BalanceLine>, u64)> {
    let w = scoped(app, actor, list.window(BALANCE_SORT, "walletId")?).await?;
    let (rows, total) = reports::balances(app.db().conn(), range.start, range.end, &w).await?;
    Ok((rows.into_iter().map(Into::into).collect(), total))
}

/// The coins report's totals over every coin account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CoinsReport {
    pub customers: u64,
    pub items: Vec<CoinsLine>,
}

/// "Get coins report": one page of customer coin accounts, and how many there are.
pub async fn coins(app: &App, actor: &Principal, list: &ListInput) -> Result<CoinsReport> {
    let w = scoped(app, actor, list.window(COINS_SORT, "accountId")?).await?;
    let (rows, total) = reports::coins(app.db().conn(), &w).await?;
    Ok(CoinsReport { customers: total, items: rows.into_iter().map(Into::into).collect() })
}
