//! The one CSV writer of every export: RFC 4180 (quoted where needed, CRLF line ends), with
//! each cell guarded against formula injection.
//!
//! A spreadsheet opening the file runs a cell that starts with `=`, `+`, `-` or `@` as a
//! formula (and a leading tab or carriage return can hide one). Such a cell is written with a
//! single quote `'` in front (OWASP's advice), so it is shown as text. The one exception is a
//! cell that is nothing but a plain signed decimal number (`-12.50`, `+447700900123`): no
//! formula can hide in it, and money amounts and phone numbers stay readable as written.

use std::borrow::Cow;

use brokercrm_core::{Error, Result};

/// The CSV media type of every export.
pub const CONTENT_TYPE: &str = "text/csv; charset=utf-8";

/// First characters that make a spreadsheet read a cell as a formula.
const FORMULA_START: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// `cell` as it must be written: prefixed with `'` when it starts like a formula and is not a
/// plain signed number; unchanged otherwise.
pub fn escape_cell(cell: &str) -> Cow<'_, str> {
    match cell.chars().next() {
        Some(c) if FORMULA_START.contains(&c) && !is_signed_number(cell) => {
            Cow::Owned(format!("'{cell}"))
        }
        _ => Cow::Borrowed(cell),
    }
}

/// `[+-]digits[.digits]`, nothing else.
fn is_signed_number(s: &str) -> bool {
    let Some(unsigned) = s.strip_prefix(['+', '-']) else { return false };
    let (int, frac) = match unsigned.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (unsigned, None),
    };
    let digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
    digits(int) && frac.is_none_or(digits)
}

/// `rows` (after an optional `header` row) as CSV bytes, every cell escaped. Feed it a page at
/// a time to stream a large export (pass the header with the first page only).
pub fn write_rows<R, C>(
    header: Option<&[&str]>,
    rows: impl IntoIterator<Item = R>,
) -> Result<Vec<u8>>
where
    R: IntoIterator<Item = C>,
    C: AsRef<str>,
{
    let mut w =
        ::csv::WriterBuilder::new().terminator(::csv::Terminator::CRLF).from_writer(Vec::new());
    if let Some(header) = header {
        w.write_record(header.iter().map(|h| escape_cell(h).into_owned()))
            .map_err(Error::internal)?;
    }
    for row in rows {
        let cells: Vec<String> =
            row.into_iter().map(|c| escape_cell(c.as_ref()).into_owned()).collect();
        w.write_record(&cells).map_err(Error::internal)?;
    }
    w.into_inner().map_err(Error::internal)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn formula_starts_are_quoted_and_plain_numbers_kept() {
        for (raw, written) in [
            ("=HYPERLINK(\"http://x\",\"y\")", "'=HYPERLINK(\"http://x\",\"y\")"),
            ("+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"),
            ("-2+3", "'-2+3"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\t=1", "'\t=1"),
            ("\r=1", "'\r=1"),
            ("-", "'-"),
            ("-1e5", "'-1e5"),
            ("-.5", "'-.5"),
            ("- 5", "'- 5"),
            ("-12.50", "-12.50"),
            ("+447700900123", "+447700900123"),
            ("-3", "-3"),
            ("Alice", "Alice"),
            ("a=b", "a=b"),
            ("", ""),
        ] {
            assert_eq!(escape_cell(raw), written, "{raw:?}");
        }
    }

    #[test]
    fn rows_are_rfc4180_with_crlf_and_escaped() {
        let out =
            write_rows(Some(&["name", "amount"]), [vec!["=1+1", "-12.50"], vec!["a,\"b\"", "7"]])
                .unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(text, "name,amount\r\n'=1+1,-12.50\r\n\"a,\"\"b\"\"\",7\r\n");
    }
}
