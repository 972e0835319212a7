//! "Export instruments to XLSX": every instrument, one row each (ReadInstruments).

use brokercrm_core::Result;
use brokercrm_core::identity::auth::Permission;
use brokercrm_store::repo::trading::instruments as repo;

use super::view::InstrumentView;
use crate::platform::exports::{Cell, XlsxExport};
use crate::{App, Principal};

/// The columns of the export.
pub const HEADERS: &[&str] = &[
    "Symbol",
    "Category",
    "Currency",
    "Margin currency",
    "Decimals",
    "Profit mode",
    "Margin mode",
    "Contract size",
    "Margin %",
    "Hedged margin %",
    "Min size",
    "Max size",
    "Swap mode",
    "Swap long",
    "Swap short",
    "Triple swap weekday",
    "Stake mode",
    "Status",
    "Sort",
    "Time zone",
    "Trading hours",
    "Updated (UTC)",
];

/// Writes every instrument into an XLSX temporary file.
pub async fn export(app: &App, actor: &Principal) -> Result<std::fs::File> {
    actor.require(Permission::ReadInstruments)?;
    let mut out = XlsxExport::new("Instruments", HEADERS)?;
    for row in repo::list(app.db().conn()).await? {
        let v = InstrumentView::of(&row)?;
        let t = |d: rust_decimal::Decimal| Cell::Text(d.normalize().to_string());
        out.push(&[
            Cell::Text(v.symbol),
            Cell::Text(v.category),
            Cell::Text(v.currency),
            Cell::Text(v.margin_currency),
            Cell::Int(i64::from(v.decimals)),
            Cell::Text(v.profit_calc_mode),
            Cell::Text(v.margin_calc_mode),
            t(v.contract_size),
            t(v.margin_percentage),
            t(v.hedged_margin_percentage),
            t(v.min_order_size),
            t(v.max_order_size),
            Cell::Text(v.swap_mode),
            t(v.swap_long),
            t(v.swap_short),
            v.swap_3day_weekday.map_or(Cell::Empty, |d| Cell::Int(i64::from(d))),
            Cell::Text(v.stake_mode),
            Cell::Text(v.status),
            Cell::Int(i64::from(v.sort)),
            Cell::Text(v.timezone),
            Cell::Text(v.trading_hours.to_string()),
            Cell::Time(v.updated_at),
        ])?;
    }
    out.finish().await
}
