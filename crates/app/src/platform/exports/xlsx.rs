//! A streaming XLSX export: a header row, then typed rows pushed one at a time (callers pull
//! them from the database in keyset-paged chunks). The worksheet runs in `rust_xlsxwriter`'s
//! constant-memory mode: each finished row goes to a temporary file, so memory does not grow
//! with the row count. `finish` zips the workbook into an anonymous temporary file (deleted
//! when closed) and hands it back rewound, ready to be streamed as a response body.

use std::io::{Seek, SeekFrom};

use brokercrm_core::{Error, Money, Result};
use chrono::{DateTime, Utc};
use rust_xlsxwriter::{Format, Workbook, XlsxError};

/// The XLSX media type.
pub const CONTENT_TYPE: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
/// Most data rows one sheet holds (Excel's limit is 1,048,576 rows including the header).
pub const MAX_ROWS: u32 = 1_048_575;

/// One cell of a row.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    /// An integer (ids); written as a number, exact below 2^53.
    Int(i64),
    /// Money, written as its exact decimal text (a spreadsheet number is a double).
    Money(Money),
    /// A UTC time, written as `YYYY-MM-DD HH:MM:SS`.
    Time(DateTime<Utc>),
}

impl From<String> for Cell {
    fn from(s: String) -> Self {
        Cell::Text(s)
    }
}
impl From<&str> for Cell {
    fn from(s: &str) -> Self {
        Cell::Text(s.to_owned())
    }
}
impl<T: Into<Cell>> From<Option<T>> for Cell {
    fn from(v: Option<T>) -> Self {
        v.map_or(Cell::Empty, Into::into)
    }
}

fn xlsx_err(e: XlsxError) -> Error {
    Error::internal(format!("xlsx export: {e}"))
}

/// An export being written.
pub struct XlsxExport {
    workbook: Workbook,
    columns: u16,
    next_row: u32,
}

impl XlsxExport {
    /// A workbook with one constant-memory sheet named `sheet` and the header row `headers`.
    pub fn new(sheet: &str, headers: &[&str]) -> Result<Self> {
        let mut workbook = Workbook::new();
        workbook.set_tempdir(std::env::temp_dir()).map_err(xlsx_err)?;
        let bold = Format::new().set_bold();
        let ws = workbook.add_worksheet_with_constant_memory().map_err(xlsx_err)?;
        ws.set_name(sheet).map_err(xlsx_err)?;
        let columns = u16::try_from(headers.len()).map_err(Error::internal)?;
        for (c, h) in (0u16..).zip(headers) {
            ws.write_string_with_format(0, c, *h, &bold).map_err(xlsx_err)?;
        }
        Ok(Self { workbook, columns, next_row: 1 })
    }

    /// Rows written so far (header excluded).
    pub fn rows(&self) -> u32 {
        self.next_row - 1
    }

    /// Appends one row; at most as many cells as headers.
    pub fn push(&mut self, cells: &[Cell]) -> Result<()> {
        if self.rows() >= MAX_ROWS {
            return Err(Error::field("limit", "the export exceeds one sheet's rows; narrow it"));
        }
        if cells.len() > usize::from(self.columns) {
            return Err(Error::internal("xlsx export: more cells than headers"));
        }
        let row = self.next_row;
        let ws = self.workbook.worksheet_from_index(0).map_err(xlsx_err)?;
        for (c, cell) in (0u16..).zip(cells) {
            match cell {
                Cell::Empty => {}
                Cell::Text(s) => {
                    ws.write_string(row, c, s.as_str()).map_err(xlsx_err)?;
                }
                Cell::Int(i) => {
                    // Ids are far below 2^53, where a double is exact.
                    #[allow(clippy::cast_precision_loss)]
                    let n = *i as f64;
                    ws.write_number(row, c, n).map_err(xlsx_err)?;
                }
                Cell::Money(m) => {
                    ws.write_string(row, c, m.to_string()).map_err(xlsx_err)?;
                }
                Cell::Time(t) => {
                    ws.write_string(row, c, t.format("%Y-%m-%d %H:%M:%S").to_string())
                        .map_err(xlsx_err)?;
                }
            }
        }
        self.next_row += 1;
        Ok(())
    }

    /// Writes the workbook into an anonymous temporary file (removed by the OS once closed)
    /// and returns it rewound. Runs on a blocking thread: zipping is CPU and disk work.
    pub async fn finish(self) -> Result<std::fs::File> {
        let mut workbook = self.workbook;
        tokio::task::spawn_blocking(move || -> Result<std::fs::File> {
            let mut file = tempfile::tempfile().map_err(Error::internal)?;
            workbook.save_to_writer(&mut file).map_err(xlsx_err)?;
            file.seek(SeekFrom::Start(0)).map_err(Error::internal)?;
            Ok(file)
        })
        .await
        .map_err(Error::internal)?
    }
}
