//! Shared plumbing of the HTTP email providers: endpoint, time-out, status check.

use std::time::Duration;

use brokercrm_core::{Error, Result};

/// Per-request time-out of every provider call (connect + response).
pub(crate) const TIMEOUT: Duration = Duration::from_secs(10);
/// How much of an error body is kept for the logs.
const BODY_LIMIT: usize = 500;

/// `apiBase` (or the provider's default origin) joined with `path`.
pub(crate) fn endpoint(api_base: Option<&str>, default: &str, path: &str) -> String {
    format!("{}{path}", api_base.unwrap_or(default).trim_end_matches('/'))
}

/// Sends `req` (from the guarded client; its `Err` is a refused URL) with the time-out; a
/// refused URL, a transport failure or a non-2xx status is `Error::Upstream` with the status
/// and a truncated body, with `secret` scrubbed from it.
pub(crate) async fn send_checked(
    provider: &str,
    req: Result<reqwest::RequestBuilder>,
    secret: &str,
) -> Result<()> {
    let req = req.map_err(|e| {
        tracing::warn!(provider, error = %e.public_message(), "email provider URL refused");
        Error::Upstream(format!("{provider}: the provider URL is refused: {}", e.public_message()))
    })?;
    let resp = req.timeout(TIMEOUT).send().await.map_err(|e| {
        tracing::warn!(provider, error = %e, "email provider unreachable");
        Error::Upstream(format!("{provider}: request failed: {e}"))
    })?;
    let status = resp.status();
    if status.is_success() {
        return Ok(());
    }
    let body = resp.text().await.unwrap_or_default();
    let mut body: String = body.chars().take(BODY_LIMIT).collect();
    if !secret.is_empty() {
        body = body.replace(secret, "****");
    }
    tracing::warn!(provider, status = status.as_u16(), %body, "email provider rejected the message");
    Err(Error::Upstream(format!("{provider}: HTTP {}: {body}", status.as_u16())))
}
