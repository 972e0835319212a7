//! "Export user statement records as XLSX" and "Export report to XLSX": the same rows as the
//! JSON operations written through [`crate::platform::exports::xlsx`]; reports are pulled in
//! keyset-paged chunks on their key (wallet or coin account id), so memory stays flat.

use brokercrm_core::identity::auth::Permission;
use brokercrm_core::{Error, Result};
use brokercrm_store::repo::money::ledger::reports::{self, Window};

use super::figures::{BalanceLine, CoinsLine, ProfitLossLine};
use super::{Range, statements};
use crate::money::scope::MoneyScope;
use crate::platform::exports::{Cell, XlsxExport};
use crate::{App, Principal};

/// Rows fetched per database round trip.
const CHUNK: u64 = 500;

/// Which report "Export report to XLSX" writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportType {
    ProfitLoss,
    Balance,
    Coins,
    Affiliation,
}

impl ReportType {
    /// `profitloss`, `balance`, `coins` or `affiliation`; else 422 on `type`.
    pub fn parse(raw: Option<&str>) -> Result<Self> {
        match raw.map(str::trim).unwrap_or_default() {
            "profitloss" => Ok(Self::ProfitLoss),
            "balance" => Ok(Self::Balance),
            "coins" => Ok(Self::Coins),
            "affiliation" => Ok(Self::Affiliation),
            "" => Err(Error::field("type", "is required")),
            _ => Err(Error::field("type", "must be profitloss, balance, coins or affiliation")),
        }
    }
}

/// Columns of the statement export.
pub const STATEMENT_HEADERS: &[&str] = &[
    "Date (UTC)",
    "Transfer",
    "Wallet",
    "Currency",
    "Type",
    "Account",
    "Amount",
    "Balance",
    "Comment",
];

/// The caller's statement over `range` as XLSX.
pub async fn statement(app: &App, actor: &Principal, range: Range) -> Result<std::fs::File> {
    let mut out = XlsxExport::new("Statement", STATEMENT_HEADERS)?;
    statements::for_each(app.db().conn(), actor.user_id, range, |r| {
        out.push(&[
            Cell::Time(r.date),
            Cell::Text(r.id),
            Cell::Int(r.wallet_id),
            Cell::Text(r.currency),
            Cell::Text(r.kind),
            Cell::Text(r.account),
            Cell::Money(r.amount),
            Cell::Money(r.balance),
            r.comment.into(),
        ])
    })
    .await?;
    out.finish().await
}

fn chunk(after: Option<i64>, size: u64, owners: Option<&[i64]>) -> Window {
    Window {
        column: String::new(),
        descending: false,
        limit: size,
        offset: 0,
        after: after.or(Some(0)),
        owners: owners.map(<[i64]>::to_vec),
    }
}

/// A report as XLSX (ReadReports). Profit/loss and balance need `range` (422 on `start`
/// without it); affiliation is partners' (`partners::report`), not written here.
pub async fn report(
    app: &App,
    actor: &Principal,
    kind: ReportType,
    range: Option<Range>,
) -> Result<std::fs::File> {
    report_in_chunks(app, actor, kind, range, CHUNK).await
}

/// "Export report to XLSX" from the query's text: the caller's permission is checked before
/// the type and range, so a caller without ReadReports learns nothing about the parameters.
pub async fn report_from_query(
    app: &App,
    actor: &Principal,
    kind: Option<&str>,
    start: Option<&str>,
    end: Option<&str>,
) -> Result<std::fs::File> {
    actor.require(Permission::ReadReports)?;
    let kind = ReportType::parse(kind)?;
    let range =
        if start.is_some() || end.is_some() { Some(Range::parse(start, end)?) } else { None };
    report(app, actor, kind, range).await
}

/// [`report`] reading `size` lines per round trip (tests use a small size to cross chunks).
pub async fn report_in_chunks(
    app: &App,
    actor: &Principal,
    kind: ReportType,
    range: Option<Range>,
    size: u64,
) -> Result<std::fs::File> {
    actor.require(Permission::ReadReports)?;
    let conn = app.db().conn();
    let owners =
        MoneyScope::of(conn, actor, Permission::ReadReports).await?.customers(conn).await?;
    let need_range = || range.ok_or_else(|| Error::field("start", "is required for this report"));
    let mut after = None;
    match kind {
        // Partners' figures, above money: `partners::report::affiliation_xlsx` writes it and
        // the surfaces call that for this type.
        ReportType::Affiliation => Err(Error::internal("the affiliation report is partners'")),
        ReportType::ProfitLoss => {
            let r = need_range()?;
            let mut out = XlsxExport::new(
                "Profit and loss",
                &[
                    "Wallet",
                    "Customer",
                    "Currency",
                    "Deposits",
                    "Withdrawals",
                    "Bonuses",
                    "Corrections",
                    "Transfers",
                    "Other",
                    "Net deposits",
                    "Trading P/L",
                ],
            )?;
            loop {
                let (rows, _) = reports::profit_loss(
                    conn,
                    r.start,
                    r.end,
                    &chunk(after, size, owners.as_deref()),
                )
                .await?;
                let Some(last) = rows.last() else { break };
                after = Some(last.wallet_id);
                let done = (rows.len() as u64) < size;
                for l in rows.into_iter().map(ProfitLossLine::from) {
                    out.push(&[
                        Cell::Int(l.wallet_id),
                        Cell::Int(l.customer_id),
                        Cell::Text(l.currency),
                        Cell::Money(l.deposits),
                        Cell::Money(l.withdrawals),
                        Cell::Money(l.bonuses),
                        Cell::Money(l.corrections),
                        Cell::Money(l.transfers),
                        Cell::Money(l.other),
                        Cell::Money(l.net_deposits),
                        Cell::Money(l.trading_pnl),
                    ])?;
                }
                if done {
                    break;
                }
            }
            out.finish().await
        }
        ReportType::Balance => {
            let r = need_range()?;
            let mut out = XlsxExport::new(
                "Balance",
                &[
                    "Wallet",
                    "Customer",
                    "Currency",
                    "Opening balance",
                    "Money in",
                    "Money out",
                    "Closing balance",
                    "Opening credit",
                    "Closing credit",
                ],
            )?;
            loop {
                let (rows, _) =
                    reports::balances(conn, r.start, r.end, &chunk(after, size, owners.as_deref()))
                        .await?;
                let Some(last) = rows.last() else { break };
                after = Some(last.wallet_id);
                let done = (rows.len() as u64) < size;
                for l in rows.into_iter().map(BalanceLine::from) {
                    out.push(&[
                        Cell::Int(l.wallet_id),
                        Cell::Int(l.customer_id),
                        Cell::Text(l.currency),
                        Cell::Money(l.opening_balance),
                        Cell::Money(l.money_in),
                        Cell::Money(l.money_out),
                        Cell::Money(l.closing_balance),
                        Cell::Money(l.opening_credit),
                        Cell::Money(l.closing_credit),
                    ])?;
                }
                if done {
                    break;
                }
            }
            out.finish().await
        }
        ReportType::Coins => {
            let mut out = XlsxExport::new(
                "Coins",
                &["Customer", "Coin account", "Earned", "Exchanged", "Balance"],
            )?;
            loop {
                let (rows, _) =
                    reports::coins(conn, &chunk(after, size, owners.as_deref())).await?;
                let Some(last) = rows.last() else { break };
                after = Some(last.account_id);
                let done = (rows.len() as u64) < size;
                for l in rows.into_iter().map(CoinsLine::from) {
                    out.push(&[
                        l.customer_id.map_or(Cell::Empty, Cell::Int),
                        Cell::Int(l.account_id),
                        Cell::Money(l.earned),
                        Cell::Money(l.exchanged),
                        Cell::Money(l.balance),
                    ])?;
                }
                if done {
                    break;
                }
            }
            out.finish().await
        }
    }
}
