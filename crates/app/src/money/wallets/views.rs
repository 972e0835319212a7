//! What wallet use cases return: a wallet with its owner, group and (optionally) money, and
//! a wallet transaction read from the ledger. Built for a page at once (one query per table).

use std::collections::HashMap;

use brokercrm_core::money::ledger::AccountKind;
use brokercrm_core::{Error, Money, Result};
use brokercrm_store::ConnectionTrait;
use brokercrm_store::repo::identity::users;
use brokercrm_store::repo::money::groups as trading_groups;
use brokercrm_store::repo::money::ledger::TransferRow;
use brokercrm_store::repo::money::ledger::accounts as account_repo;
use brokercrm_store::repo::money::wallets::WalletRow;
use brokercrm_store::{DbResultExt, TransactionTrait};
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::Serialize;

use crate::App;
use crate::money::events::{WalletFiguresAsked, WatchlistsAsked};
use crate::money::groups::GroupView;

/// The owner of a wallet, as embedded in it.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CustomerRef {
    /// The customer's public id (UUID).
    pub id: String,
    /// The customer's numeric account id.
    pub account_id: i64,
    pub email: String,
    pub firstname: Option<String>,
    pub lastname: Option<String>,
}

/// A wallet's money, from its ledger accounts, and what open positions hold (answered by
/// trading through [`WalletFiguresAsked`]): equity = balance + credit + floating P/L, free
/// margin = equity − margin, margin level = equity / margin in percent (none without margin).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WalletMoney {
    pub balance: Money,
    pub credit: Money,
    pub equity: Money,
    pub margin: Money,
    pub free_margin: Money,
    /// Percent, 2 decimals, rounded down.
    pub margin_level: Option<Decimal>,
}

/// A wallet.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WalletView {
    pub id: i64,
    pub customer_id: String,
    pub customer: Option<CustomerRef>,
    pub platform: String,
    pub status: String,
    pub currency: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub group_id: Option<i64>,
    pub group: Option<GroupView>,
    pub leverage: i32,
    pub is_demo: bool,
    #[serde(flatten)]
    pub money: Option<WalletMoney>,
}

/// One ledger transfer as seen from a wallet.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = WalletTransactionDto)]
pub struct TransactionView {
    /// The ledger transfer id.
    pub id: String,
    pub wallet_id: i64,
    /// DEPOSIT, WITHDRAWAL, BONUS, CORRECTION, WALLET_TRANSFER, ...
    #[serde(rename = "type")]
    #[schema(example = "DEPOSIT")]
    pub kind: String,
    /// Decimal string, signed from the wallet's side (negative: money out).
    #[schema(value_type = String, example = "100.5")]
    pub amount: Money,
    pub currency: String,
    /// `posted`, `pending` or `voided`.
    pub status: String,
    /// Whether it moved the wallet's credit rather than its balance.
    pub add_to_credit: bool,
    pub comment: Option<String>,
    pub created_at: DateTime<Utc>,
}

impl TransactionView {
    /// `t` seen from wallet `wallet_id` whose accounts are `balance` and `credit`.
    pub fn of(t: TransferRow, wallet_id: i64, balance: i64, credit: i64) -> Self {
        let ours = |a: i64| a == balance || a == credit;
        let amount = Money::from_minor(t.amount);
        let signed =
            if ours(t.credit_account_id) { amount } else { amount.checked_neg().unwrap_or(amount) };
        Self {
            add_to_credit: t.credit_account_id == credit || t.debit_account_id == credit,
            id: t.transfer_id,
            wallet_id,
            kind: t.code,
            amount: signed,
            currency: t.currency,
            status: t.state,
            comment: t.user_data,
            created_at: t.created_at,
        }
    }
}

/// Balance and credit account ids of each wallet.
pub(crate) async fn account_ids<C: ConnectionTrait>(
    conn: &C,
    wallet_ids: &[i64],
) -> Result<HashMap<i64, (Option<i64>, Option<i64>)>> {
    let mut m: HashMap<i64, (Option<i64>, Option<i64>)> = HashMap::new();
    for a in account_repo::for_wallets(conn, wallet_ids).await? {
        let Some(w) = a.wallet_id else { continue };
        let e = m.entry(w).or_default();
        if a.kind == AccountKind::WalletBalance.as_str() {
            e.0 = Some(a.id);
        } else if a.kind == AccountKind::WalletCredit.as_str() {
            e.1 = Some(a.id);
        }
    }
    Ok(m)
}

/// Money of each wallet (zero for a wallet whose accounts do not exist yet).
pub(crate) async fn money_of<C: ConnectionTrait>(
    conn: &C,
    wallet_ids: &[i64],
) -> Result<HashMap<i64, WalletMoney>> {
    let mut sums: HashMap<i64, (i64, i64)> = HashMap::new();
    for a in account_repo::for_wallets(conn, wallet_ids).await? {
        let Some(w) = a.wallet_id else { continue };
        let e = sums.entry(w).or_default();
        if a.kind == AccountKind::WalletBalance.as_str() {
            e.0 = a.balance;
        } else if a.kind == AccountKind::WalletCredit.as_str() {
            e.1 = a.balance;
        }
    }
    let mut out = HashMap::new();
    for id in wallet_ids {
        let (b, c) = sums.get(id).copied().unwrap_or_default();
        let (balance, credit) = (Money::from_minor(b), Money::from_minor(c));
        let equity = balance
            .checked_add(credit)
            .ok_or_else(|| Error::internal(format!("wallet {id}: equity overflows")))?;
        let free_margin = equity;
        out.insert(
            *id,
            WalletMoney {
                balance,
                credit,
                equity,
                margin: Money::ZERO,
                free_margin,
                margin_level: None,
            },
        );
    }
    Ok(out)
}

/// The watchlists of `wallet_ids` (the `instrumentWatchlist` of the client's wallet views,
/// asked of trading in a read transaction): each wallet's symbols in the order added; a
/// wallet watching nothing is absent. The caller has read these wallets as its own.
pub async fn watchlists_of(app: &App, wallet_ids: &[i64]) -> Result<HashMap<i64, Vec<String>>> {
    if wallet_ids.is_empty() {
        return Ok(HashMap::new());
    }
    let asked = WatchlistsAsked { wallet_ids: wallet_ids.to_vec(), answers: Default::default() };
    let tx = app.db().conn().begin().await.db()?;
    app.events().publish(&tx, &asked).await?;
    tx.rollback().await.db()?;
    asked.answers.into_inner().map_err(|_| Error::internal("watchlists lock"))
}

/// Adds what open positions hold to the money of `wallets` (asked of trading in a read
/// transaction; wallets without positions are unchanged).
pub(crate) async fn with_trading(
    app: &App,
    wallets: &[WalletRow],
    money: &mut HashMap<i64, WalletMoney>,
) -> Result<()> {
    if wallets.is_empty() {
        return Ok(());
    }
    let asked = WalletFiguresAsked { wallets: wallets.to_vec(), answers: Default::default() };
    let tx = app.db().conn().begin().await.db()?;
    app.events().publish(&tx, &asked).await?;
    tx.rollback().await.db()?;
    let answers = asked.answers.into_inner().map_err(|_| Error::internal("figures lock"))?;
    let overflow = || Error::internal("wallet figures overflow");
    for (id, f) in answers {
        let Some(m) = money.get_mut(&id) else { continue };
        m.equity = m.equity.checked_add(f.floating).ok_or_else(overflow)?;
        m.margin = f.margin;
        m.free_margin = m.equity.checked_sub(f.margin).ok_or_else(overflow)?;
        m.margin_level = (f.margin.is_positive())
            .then(|| {
                let l = (i128::from(m.equity.minor()) * 10_000)
                    .div_euclid(i128::from(f.margin.minor()));
                i64::try_from(l).ok().map(|l| Decimal::new(l, 2))
            })
            .flatten();
    }
    Ok(())
}

/// [`with_trading`] on built views.
pub(crate) async fn views_with_trading(
    app: &App,
    rows: &[WalletRow],
    views: &mut [WalletView],
) -> Result<()> {
    let mut money: HashMap<i64, WalletMoney> =
        views.iter().filter_map(|v| v.money.map(|m| (v.id, m))).collect();
    let with: Vec<WalletRow> = rows.iter().filter(|w| money.contains_key(&w.id)).cloned().collect();
    with_trading(app, &with, &mut money).await?;
    for v in views.iter_mut() {
        if let Some(m) = money.get(&v.id) {
            v.money = Some(*m);
        }
    }
    Ok(())
}

/// Views of `rows` (in order); with money when `with_money`.
pub(crate) async fn build<C: ConnectionTrait>(
    conn: &C,
    rows: Vec<WalletRow>,
    with_money: bool,
) -> Result<Vec<WalletView>> {
    let mut user_ids: Vec<i64> = rows.iter().map(|w| w.user_id).collect();
    user_ids.sort_unstable();
    user_ids.dedup();
    let mut group_ids: Vec<i64> = rows.iter().filter_map(|w| w.group_id).collect();
    group_ids.sort_unstable();
    group_ids.dedup();
    let users: HashMap<i64, CustomerRef> = users::find_by_ids(conn, &user_ids)
        .await?
        .into_iter()
        .map(|u| {
            let c = CustomerRef {
                id: u.uuid,
                account_id: u.id,
                email: u.email,
                firstname: u.firstname,
                lastname: u.lastname,
            };
            (u.id, c)
        })
        .collect();
    let groups: HashMap<i64, GroupView> = trading_groups::find_many(conn, &group_ids)
        .await?
        .into_iter()
        .map(|g| (g.id, GroupView::of(g)))
        .collect();
    let ids: Vec<i64> = rows.iter().map(|w| w.id).collect();
    let money = if with_money { money_of(conn, &ids).await? } else { HashMap::new() };
    Ok(rows
        .into_iter()
        .map(|w| {
            let customer = users.get(&w.user_id).cloned();
            WalletView {
                id: w.id,
                customer_id: customer.as_ref().map(|c| c.id.clone()).unwrap_or_default(),
                customer,
                platform: w.platform,
                status: w.status,
                currency: w.currency,
                created_at: w.created_at,
                updated_at: w.updated_at,
                group: w.group_id.and_then(|g| groups.get(&g).cloned()),
                group_id: w.group_id,
                leverage: w.leverage,
                is_demo: w.is_demo,
                money: money.get(&w.id).copied(),
            }
        })
        .collect())
}

/// One wallet's view.
pub(crate) async fn one<C: ConnectionTrait>(
    conn: &C,
    w: WalletRow,
    with_money: bool,
) -> Result<WalletView> {
    build(conn, vec![w], with_money)
        .await?
        .into_iter()
        .next()
        .ok_or_else(|| Error::internal("wallet view missing"))
}
