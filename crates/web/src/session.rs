//! The portal session: its cookie (HttpOnly, SameSite=Lax, Secure when the public URL is
//! https) and the [`Staff`] extractor every page but the login takes. Without a live session a
//! page redirects to the login (with `next`); while the one-time password is unchanged every
//! page but the password change and the logout redirects there.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, header};
use brokercrm_app::Principal;
use brokercrm_app::identity::web_sessions::{self, WebSession};
use cookie::{Cookie, SameSite};

use crate::Web;
use crate::error::WebError;

/// The session cookie.
pub const COOKIE: &str = "bcrm_session";
/// The pre-session cookie whose secret protects the login form.
pub const PRE_COOKIE: &str = "bcrm_pre";

/// The value of cookie `name` in the request.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| Cookie::split_parse(v.to_owned()))
        .filter_map(Result::ok)
        .find(|c| c.name() == name)
        .map(|c| c.value().to_owned())
}

/// A `Set-Cookie` value for `name`; `None` as value deletes the cookie.
pub fn set_cookie(name: &str, value: Option<&str>, secure: bool) -> HeaderValue {
    let mut c = Cookie::build((name.to_owned(), value.unwrap_or("").to_owned()))
        .path("/admin")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(secure)
        .build();
    if value.is_none() {
        c.make_removal();
    }
    HeaderValue::from_str(&c.to_string()).unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// A signed-in staff member.
pub struct Staff {
    pub session: WebSession,
    /// The session cookie's secret (the CSRF token derives from it).
    pub secret: String,
}

impl Staff {
    pub fn principal(&self) -> &Principal {
        &self.session.principal
    }

    /// The CSRF token for this session's forms.
    pub fn csrf(&self) -> String {
        crate::csrf::token_for(&self.secret)
    }
}

fn login_redirect(parts: &Parts) -> WebError {
    let next = if parts.method == axum::http::Method::GET {
        parts.uri.path_and_query().map(|p| p.as_str()).unwrap_or("/admin")
    } else {
        "/admin"
    };
    let next = percent_encoding::utf8_percent_encode(next, percent_encoding::NON_ALPHANUMERIC);
    WebError::Redirect(format!("/admin/login?next={next}"))
}

impl FromRequestParts<Web> for Staff {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, web: &Web) -> Result<Self, Self::Rejection> {
        let Some(secret) = cookie(&parts.headers, COOKIE) else {
            return Err(login_redirect(parts));
        };
        let Some(session) = web_sessions::resume(&web.app, &secret, web.cfg.limits).await? else {
            return Err(login_redirect(parts));
        };
        let path = parts.uri.path();
        if session.password_change_required && path != "/admin/password" && path != "/admin/logout"
        {
            return Err(WebError::Redirect("/admin/password".into()));
        }
        Ok(Staff { session, secret })
    }
}

/// The client's IP: the socket peer, or the first `X-Forwarded-For` hop when trusted.
pub fn client_ip(
    headers: &HeaderMap,
    extensions: &axum::http::Extensions,
    trust_forwarded_for: bool,
) -> Option<std::net::IpAddr> {
    let fwd = headers
        .get("x-forwarded-for")
        .filter(|_| trust_forwarded_for)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(',').next())
        .and_then(|s| s.trim().parse().ok());
    let peer =
        extensions.get::<axum::extract::ConnectInfo<std::net::SocketAddr>>().map(|c| c.0.ip());
    fwd.or(peer)
}
