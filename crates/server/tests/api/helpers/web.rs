//! The staff portal driven in-process (no browser): a logged-in session's cookie and CSRF
//! token, form posts with or without the token, and reading values out of the HTML.

use axum::http::{HeaderName, HeaderValue, header};
use axum_test::TestResponse;

use super::TestApp;

/// A portal session: its cookie and CSRF token.
pub struct Portal {
    pub cookie: String,
    pub csrf: String,
}

/// The value of hidden `_csrf` inputs in `html`.
pub fn csrf_in(html: &str) -> String {
    let marker = "name=\"_csrf\" value=\"";
    let start = html.find(marker).map(|i| i + marker.len()).expect("a _csrf field");
    html[start..].split('"').next().unwrap_or_default().to_owned()
}

/// The `name=value` of cookie `name` set by `r`, with its attributes.
pub fn set_cookie(r: &TestResponse, name: &str) -> Option<String> {
    r.headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
        .map(str::to_owned)
}

fn cookie_pair(set_cookie: &str) -> String {
    set_cookie.split(';').next().unwrap_or_default().to_owned()
}

pub fn cookie_header(v: &str) -> (HeaderName, HeaderValue) {
    (header::COOKIE, HeaderValue::from_str(v).unwrap())
}

/// Posts the login form; the response (303 with the session cookie on success).
pub async fn post_login(t: &TestApp, email: &str, password: &str) -> TestResponse {
    let page = t.server.get("/admin/login").await;
    page.assert_status_ok();
    let pre = cookie_pair(&set_cookie(&page, "bcrm_pre").expect("pre-session cookie"));
    let csrf = csrf_in(&page.text());
    let (k, v) = cookie_header(&pre);
    t.server
        .post("/admin/login")
        .add_header(k, v)
        .form(&[("_csrf", csrf.as_str()), ("email", email), ("password", password)])
        .await
}

/// Logs in through the portal.
pub async fn login(t: &TestApp, email: &str, password: &str) -> Portal {
    let r = post_login(t, email, password).await;
    assert_eq!(r.status_code(), 303, "{}", r.text());
    let cookie = cookie_pair(&set_cookie(&r, "bcrm_session").expect("session cookie"));
    let p = Portal { cookie, csrf: String::new() };
    let loc = r.headers().get(header::LOCATION).unwrap().to_str().unwrap().to_owned();
    let page = p.get(t, &loc).await;
    let csrf = if page.status_code() == 200 { csrf_in(&page.text()) } else { String::new() };
    Portal { csrf, ..p }
}

impl Portal {
    pub async fn get(&self, t: &TestApp, path: &str) -> TestResponse {
        let (k, v) = cookie_header(&self.cookie);
        t.server.get(path).add_header(k, v).await
    }

    /// Posts `fields` with this session's CSRF token.
    pub async fn post(&self, t: &TestApp, path: &str, fields: &[(&str, &str)]) -> TestResponse {
        let mut all = vec![("_csrf", self.csrf.as_str())];
        all.extend_from_slice(fields);
        self.post_raw(t, path, &all).await
    }

    /// Posts exactly `fields` (no token added).
    pub async fn post_raw(&self, t: &TestApp, path: &str, fields: &[(&str, &str)]) -> TestResponse {
        let (k, v) = cookie_header(&self.cookie);
        t.server.post(path).add_header(k, v).form(&fields).await
    }
}

/// Where a redirect goes.
pub fn location(r: &TestResponse) -> String {
    r.headers().get(header::LOCATION).map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default()
}
