//! "Export transactions to an XLSX file": the filtered transactions pulled in keyset-paged
//! chunks (newest first) and written row by row through [`crate::platform::exports::xlsx`], so memory
//! stays flat whatever the row count.

use brokercrm_core::Result;
use brokercrm_core::identity::auth::Permission;
use brokercrm_store::repo::money::ledger::transactions as repo;

use super::list::{FilterInput, filter};
use super::views;
use crate::money::scope::MoneyScope;
use crate::platform::exports::{Cell, XlsxExport};
use crate::{App, Principal};

/// Rows fetched per database round trip.
const CHUNK: u64 = 2_000;

/// The columns of the export.
pub const HEADERS: &[&str] = &[
    "ID",
    "Date (UTC)",
    "Type",
    "Status",
    "Amount",
    "Currency",
    "Wallet",
    "Customer",
    "Provider",
    "Wallet address",
    "Comment",
    "Reviewer",
];

/// Writes the transactions matching `f` (ReadTransactions) into an XLSX temporary file.
pub async fn export(app: &App, actor: &Principal, f: &FilterInput) -> Result<std::fs::File> {
    actor.require(Permission::ReadTransactions)?;
    let conn = app.db().conn();
    let scope = MoneyScope::of(conn, actor, Permission::ReadTransactions).await?;
    let mut tf = filter(conn, &scope, f).await?;
    tf.by_amount = false;
    let mut out = XlsxExport::new("Transactions", HEADERS)?;
    if !tf.accounts.as_ref().is_some_and(Vec::is_empty) {
        let mut before = None;
        loop {
            let rows = repo::page_before(conn, &tf, before, CHUNK).await?;
            let Some(last) = rows.last() else { break };
            before = Some(last.id);
            let done = (rows.len() as u64) < CHUNK;
            for v in views::build(conn, rows).await? {
                out.push(&[
                    Cell::Text(v.id),
                    Cell::Time(v.created_at),
                    Cell::Text(v.kind),
                    Cell::Text(v.status),
                    Cell::Money(v.amount),
                    Cell::Text(v.currency),
                    v.wallet_id.map_or(Cell::Empty, Cell::Int),
                    v.customer_id.map_or(Cell::Empty, Cell::Int),
                    v.provider.into(),
                    v.wallet_address.into(),
                    v.comment.into(),
                    v.reviewer_id.map_or(Cell::Empty, Cell::Int),
                ])?;
            }
            if done {
                break;
            }
        }
    }
    out.finish().await
}
