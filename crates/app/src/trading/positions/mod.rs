//! Positions and orders (seed tags Positions and Orders): opening at market or as a pending
//! limit/stop order, closing (by id and version, exactly once), client edits and staff
//! corrections, lists and exports, and the wallet figures (equity, margin, free margin,
//! margin level) every check reads. Money moves as ledger transfers against the trading P/L
//! house account of the wallet's book.

pub mod close;
pub mod close_all;
pub mod edit;
pub mod export;
pub mod figures;
pub mod fill;
pub mod hooks;
pub mod lane;
pub mod ledger;
pub mod list;
pub mod market;
pub mod neo;
pub mod open;
pub mod open_all;
pub mod orders;
pub mod settle;
pub mod swaps;
pub mod view;

pub use view::{OrderView, PositionView};
