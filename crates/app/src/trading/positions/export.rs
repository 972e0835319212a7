//! "Export positions to XLSX" and "Export orders to XLSX format": the list filters, every
//! matching row (up to one sheet), one row each.

use brokercrm_core::Result;
use brokercrm_store::repo::trading::positions::PositionSort;
use brokercrm_store::repo::trading::{orders as order_repo, positions as position_repo};

use super::list::{PositionQuery, filter, views};
use super::orders::{OrderQuery, filter as order_filter, views as order_views};
use crate::platform::exports::{Cell, XlsxExport};
use crate::{App, Principal};

/// Rows read per page while exporting.
const CHUNK: u64 = 1000;

/// The columns of the positions export.
pub const POSITION_HEADERS: &[&str] = &[
    "Id",
    "Account",
    "Customer",
    "Symbol",
    "Side",
    "Size (lots)",
    "Status",
    "Platform",
    "Open price",
    "Close price",
    "Stop loss",
    "Take profit",
    "Trailing %",
    "Margin",
    "Commission",
    "Swap",
    "P/L (account currency)",
    "Currency",
    "Closed reason",
    "Opened (UTC)",
    "Closed (UTC)",
];

/// The columns of the orders export.
pub const ORDER_HEADERS: &[&str] = &[
    "Id",
    "Position",
    "Account",
    "Customer",
    "Symbol",
    "Side",
    "Type",
    "Purpose",
    "Status",
    "Size (lots)",
    "Limit price",
    "Stop price",
    "Fill price",
    "Created (UTC)",
    "Filled (UTC)",
];

fn text(s: Option<String>) -> Cell {
    s.map_or(Cell::Empty, Cell::Text)
}

fn dec(d: Option<rust_decimal::Decimal>) -> Cell {
    d.map_or(Cell::Empty, |d| Cell::Text(d.normalize().to_string()))
}

/// Every position matching `q` (ReadPositions for staff; a client its own).
pub async fn positions(app: &App, actor: &Principal, q: PositionQuery) -> Result<std::fs::File> {
    let conn = app.db().conn();
    let f = filter(conn, actor, &q).await?;
    let mut out = XlsxExport::new("Positions", POSITION_HEADERS)?;
    let mut offset = 0;
    loop {
        let (rows, _) =
            position_repo::list(conn, &f, PositionSort::Id, false, CHUNK, offset).await?;
        for v in views(conn, &rows).await? {
            out.push(&[
                Cell::Int(v.id),
                Cell::Int(v.account_id),
                Cell::Text(v.customer_id),
                Cell::Text(v.symbol),
                Cell::Text(v.side),
                dec(Some(v.size)),
                Cell::Text(v.status),
                Cell::Text(v.platform),
                text(v.open_price),
                text(v.close_price),
                dec(v.stop_loss),
                dec(v.take_profit),
                text(v.tailing_stop_loss_pct),
                Cell::Text(v.margin),
                dec(Some(v.commission)),
                dec(Some(v.swap)),
                dec(v.profit_loss),
                Cell::Text(v.currency),
                text(v.closed_reason),
                v.opened_at.map_or(Cell::Empty, Cell::Time),
                v.closed_at.map_or(Cell::Empty, Cell::Time),
            ])?;
        }
        if (rows.len() as u64) < CHUNK {
            break;
        }
        offset += CHUNK;
    }
    out.finish().await
}

/// Every order matching `q`.
pub async fn orders(app: &App, actor: &Principal, q: OrderQuery) -> Result<std::fs::File> {
    let conn = app.db().conn();
    let f = order_filter(conn, actor, &q).await?;
    let mut out = XlsxExport::new("Orders", ORDER_HEADERS)?;
    let mut offset = 0;
    loop {
        let (rows, _) = order_repo::list(conn, &f, CHUNK, offset).await?;
        for v in order_views(conn, &rows).await? {
            out.push(&[
                Cell::Int(v.id),
                Cell::Int(v.position_id),
                Cell::Int(v.account_id),
                Cell::Text(v.customer_id),
                Cell::Text(v.symbol),
                Cell::Text(v.side),
                Cell::Text(v.kind),
                Cell::Text(v.purpose),
                Cell::Text(v.status),
                dec(Some(v.size)),
                text(v.limit_price),
                text(v.stop_price),
                text(v.fill_price),
                Cell::Time(v.created_at),
                v.filled_at.map_or(Cell::Empty, Cell::Time),
            ])?;
        }
        if (rows.len() as u64) < CHUNK {
            break;
        }
        offset += CHUNK;
    }
    out.finish().await
}
