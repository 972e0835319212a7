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

/// `GET path` as the bearer of `token` naming its current wallet: `X-Wallet-Id: wallet`.
pub async fn get_as_wallet(t: &TestApp, token: &str, path: &str, wallet: &str) -> (u16, Value) {
    let value = axum::http::HeaderValue::from_str(wallet).unwrap_or_else(|e| panic!("{e}"));
    answer(t.server.get(path).authorization_bearer(token).add_header("x-wallet-id", value).await)
}

/// `POST path` with a JSON body as the bearer of `token`.
pub async fn post(t: &TestApp, token: &str, path: &str, body: Value) -> (u16, Value) {
    answer(t.server.post(path).authorization_bearer(token).json(&body).await)
}

/// `POST path` without a body as the bearer of `token`.
pub async fn post_empty(t: &TestApp, token: &str, path: &str) -> (u16, Value) {
    answer(t.server.post(path).authorization_bearer(token).await)
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
/// A one-time download token (`POST /api/downloads/token`) for an export link of `token`'s user.
pub async fn download_token(t: &TestApp, token: &str) -> String {
    let (s, b) = post(t, token, "/api/downloads/token", serde_json::json!({})).await;
    assert_eq!(s, 200, "{b}");
    b["token"].as_str().expect("download token").to_owned()
}

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

/// Sends every request at once, each on its own task through its own copy of the router;
/// returns (status, JSON body) per request in the order given.
pub async fn send_concurrently(
    t: &TestApp,
    requests: Vec<axum::http::Request<axum::body::Body>>,
) -> Vec<(u16, Value)> {
    use tower::ServiceExt;
    let router = brokercrm_http::build_router(t.app.clone(), brokercrm_http::HttpConfig::default());
    let start = std::sync::Arc::new(tokio::sync::Barrier::new(requests.len()));
    let mut tasks = Vec::new();
    for req in requests {
        let (router, start) = (router.clone(), start.clone());
        tasks.push(tokio::spawn(async move {
            start.wait().await;
            let resp = router.oneshot(req).await.unwrap();
            let status = resp.status().as_u16();
            let bytes = axum::body::to_bytes(resp.into_body(), 1 << 20).await.unwrap();
            (status, serde_json::from_slice::<Value>(&bytes).unwrap_or(Value::Null))
        }));
    }
    let mut out = Vec::new();
    for task in tasks {
        out.push(task.await.unwrap());
    }
    out
}

/// A JSON `POST` as the bearer of `token` (with an `Idempotency-Key` when given), for
/// [`send_concurrently`].
pub fn json_request(
    path: &str,
    token: &str,
    key: Option<&str>,
    body: &Value,
) -> axum::http::Request<axum::body::Body> {
    let mut req = axum::http::Request::post(path)
        .header("authorization", format!("Bearer {token}"))
        .header("content-type", "application/json");
    if let Some(key) = key {
        req = req.header("idempotency-key", key);
    }
    req.body(axum::body::Body::from(body.to_string())).unwrap()
}

/// How many answers are 200; every other answer must be a 422.
pub fn count_ok_else_422(answers: &[(u16, Value)]) -> usize {
    for (status, body) in answers {
        assert!(matches!(status, 200 | 422), "unexpected status {status}: {body}");
    }
    answers.iter().filter(|(status, _)| *status == 200).count()
}
