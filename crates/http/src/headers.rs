//! Security headers on every response, through tower-http's set-header layers. A handler that
//! sets one of these headers itself keeps its own value (e.g. a public avatar's cache policy).
//!
//! - `X-Content-Type-Options: nosniff`, `Referrer-Policy: no-referrer`, `X-Frame-Options: DENY`.
//! - `Content-Security-Policy`: for HTML (the API docs) a policy that allows only this origin's
//!   scripts, styles and images (plus inline styles and `data:` images Swagger UI needs); for
//!   everything else `default-src 'none'; frame-ancestors 'none'`.
//! - `Cache-Control: no-store` on every response without its own policy, so no response
//!   carrying a token (login, refresh, OAuth, API keys, impersonation) is ever cached.
//! - `Strict-Transport-Security` when the deployment's public URL is `https`.

use axum::Router;
use axum::http::{HeaderName, HeaderValue, header};
use axum::response::Response;
use tower_http::set_header::SetResponseHeaderLayer;

/// CSP of HTML responses (Swagger UI at `/docs`).
pub const HTML_CSP: &str = "default-src 'self'; script-src 'self'; \
     style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; \
     object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
/// CSP of every other response (JSON, CSV, files): nothing may load, nothing may frame it.
pub const API_CSP: &str = "default-src 'none'; frame-ancestors 'none'";
/// HSTS value when the public URL is https: one year, subdomains included.
pub const HSTS: &str = "max-age=31536000; includeSubDomains";

fn is_html(resp: &Response) -> bool {
    resp.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim_start().to_ascii_lowercase().starts_with("text/html"))
}

fn fixed(name: HeaderName, value: &'static str) -> SetResponseHeaderLayer<HeaderValue> {
    SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value))
}

/// `router` with the security headers; `hsts` when the public URL is https.
pub fn apply<S: Clone + Send + Sync + 'static>(router: Router<S>, hsts: bool) -> Router<S> {
    let csp = SetResponseHeaderLayer::if_not_present(
        header::CONTENT_SECURITY_POLICY,
        |resp: &Response| {
            Some(HeaderValue::from_static(if is_html(resp) { HTML_CSP } else { API_CSP }))
        },
    );
    let router = router
        .layer(fixed(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(fixed(header::REFERRER_POLICY, "no-referrer"))
        .layer(fixed(header::X_FRAME_OPTIONS, "DENY"))
        .layer(fixed(header::CACHE_CONTROL, "no-store"))
        .layer(csp);
    if hsts { router.layer(fixed(header::STRICT_TRANSPORT_SECURITY, HSTS)) } else { router }
}
