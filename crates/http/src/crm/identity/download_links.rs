//! XLSX downloads shared by every context's export: who the caller is (a one-time download
//! token from `?token=`, or the Authorization header) and the workbook streamed as an
//! attachment.

use axum::body::Body;
use axum::http::header::{AUTHORIZATION, CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::http::{HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use brokercrm_app::platform::exports::xlsx::CONTENT_TYPE as XLSX;
use brokercrm_app::{App, Principal};
use brokercrm_core::Error;
use tokio_util::io::ReaderStream;

fn bearer(headers: &HeaderMap) -> Option<String> {
    let v = headers.get(AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = v.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim().to_owned())
}

/// The caller of a download: a one-time download token from `?token=` (`POST
/// /api/downloads/token`; a browser link cannot set a header, and an access token never
/// travels in a URL), or the Authorization header, checked exactly as bearer auth checks it.
pub(crate) async fn download(
    app: &App,
    headers: &HeaderMap,
    token: Option<String>,
) -> Result<Principal, Error> {
    match (token.filter(|t| !t.trim().is_empty()), bearer(headers)) {
        (Some(t), _) => brokercrm_app::identity::downloads::redeem(app, &t).await,
        (None, Some(t)) => brokercrm_app::identity::auth::authenticate(app, t.trim()).await,
        (None, None) => Err(Error::Unauthorized("missing token".into())),
    }
}

/// The workbook `file` streamed as an attachment named `<name>-<UTC time>.xlsx`.
pub(crate) fn xlsx_response(file: std::fs::File, name: &str) -> Response {
    let body = Body::from_stream(ReaderStream::new(tokio::fs::File::from_std(file)));
    let disposition = format!(
        "attachment; filename=\"{name}-{}.xlsx\"",
        chrono::Utc::now().format("%Y%m%d-%H%M%S")
    );
    let mut resp = body.into_response();
    resp.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static(XLSX));
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        resp.headers_mut().insert(CONTENT_DISPOSITION, v);
    }
    resp
}
