//! File exports shared by every tag that offers a download (Transactions now; Statements and
//! Reports later): an XLSX writer fed row by row in constant memory.

pub mod xlsx;

pub use xlsx::{Cell, XlsxExport};
