//! Requests as a bearer of `token`, answered as (status, JSON body), and small codecs tests
//! need around them (query-string and base64 encoding, the sheet of an XLSX download).

use std::io::Read;

use serde_json::Value;

use super::TestApp;

/// Status and JSON body (`null` when the body is empty or not JSON).
fn answer(r: axum_test::TestResponse) -> (u16, Value) {
    (r.status_code().as_u16(), serde_json::from_str(&r.text()).unwrap_or(Value::Null))
}

/// `GET path` as the bearer of `token`.
pub async fn get(t: &TestApp, token: &str, path: &str) -> (u16, Value) {
    answer(t.server.get(path).authorization_bearer(token).await)
}

/// `POST path` with a JSON body as the bearer of `token`.
pub async fn post(t: &TestApp, token: &str, path: &str, body: Value) -> (u16, Value) {
    answer(t.server.post(path).authorization_bearer(token).json(&body).await)
}

/// `PUT path` with a JSON body as the bearer of `token`.
pub async fn put(t: &TestApp, token: &str, path: &str, body: Value) -> (u16, Value) {
    answer(t.server.put(path).authorization_bearer(token).json(&body).await)
}

/// `DELETE path` as the bearer of `token`.
pub async fn delete(t: &TestApp, token: &str, path: &str) -> (u16, Value) {
    answer(t.server.delete(path).authorization_bearer(token).await)
}

/// Percent-encodes everything but RFC 3986's unreserved characters.
pub fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The XML of the first sheet of an XLSX file.
pub fn sheet_xml(bytes: &[u8]) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let mut xml = String::new();
    zip.by_name("xl/worksheets/sheet1.xml").unwrap().read_to_string(&mut xml).unwrap();
    xml
}

/// Asserts an XLSX download and returns the XML of its first sheet.
pub fn xlsx_sheet(r: &axum_test::TestResponse) -> String {
    assert_eq!(
        r.header("content-type"),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    let bytes = r.as_bytes();
    assert_eq!(&bytes[..2], b"PK");
    sheet_xml(bytes)
}

/// Standard base64, for Basic headers (the test crate has no base64 dependency).
pub fn base64(s: &str) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in s.as_bytes().chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(T[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}
