//! File exports shared by every tag that offers a download: an XLSX writer fed row by row in
//! constant memory, and the one CSV writer (formula-injection safe) every CSV export uses.

pub mod csv;
pub mod xlsx;

pub use xlsx::{Cell, XlsxExport};
