//! The login page and the logout. The login checks the credentials through the API's login
//! (same throttle: growing waits per account and IP, ceilings per account and per IP), admits
//! staff only, and sets the session cookie; the form is protected by the pre-session cookie's
//! CSRF token. The logout revokes the session and clears the cookie.

use askama::Template;
use axum::extract::{FromRequest, Query, Request, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use brokercrm_app::identity::security::random_token;
use brokercrm_app::identity::web_sessions;
use brokercrm_core::Error;
use serde::Deserialize;

use crate::Web;
use crate::error::{WebError, html_status};
use crate::form::{Empty, Posted};
use crate::session::{COOKIE, PRE_COOKIE, client_ip, cookie, set_cookie};

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage<'a> {
    css: String,
    js: String,
    csrf: String,
    next: &'a str,
    email: &'a str,
    error: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct NextQuery {
    #[serde(default)]
    next: Option<String>,
}

/// Only a path of this portal: never another site (`//host`, `https://...`).
fn safe_next(next: Option<&str>) -> &str {
    match next {
        Some(n) if n.starts_with("/admin") && !n.starts_with("//") && !n.contains('\\') => n,
        _ => "/admin",
    }
}

fn render(
    web: &Web,
    pre: &str,
    next: &str,
    email: &str,
    error: Option<String>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let page = LoginPage {
        css: crate::assets::url("app.css"),
        js: crate::assets::url("app.js"),
        csrf: crate::csrf::token_for(pre),
        next,
        email,
        error,
    };
    let mut resp = html_status(status, &page)?;
    resp.headers_mut()
        .append(header::SET_COOKIE, set_cookie(PRE_COOKIE, Some(pre), web.cfg.secure_cookies));
    Ok(resp)
}

/// `GET /admin/login`.
pub async fn form(
    State(web): State<Web>,
    Query(q): Query<NextQuery>,
    headers: axum::http::HeaderMap,
) -> Result<Response, WebError> {
    if let Some(secret) = cookie(&headers, COOKIE)
        && web_sessions::resume(&web.app, &secret, web.cfg.limits).await?.is_some()
    {
        return Ok(Redirect::to(safe_next(q.next.as_deref())).into_response());
    }
    let pre =
        cookie(&headers, PRE_COOKIE).filter(|p| p.len() == 43).unwrap_or_else(|| random_token(32));
    render(&web, &pre, safe_next(q.next.as_deref()), "", None, StatusCode::OK)
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: Option<String>,
}

/// `POST /admin/login`.
pub async fn submit(State(web): State<Web>, req: Request) -> Result<Response, WebError> {
    let ip = client_ip(req.headers(), req.extensions(), web.cfg.trust_forwarded_for);
    let pre = cookie(req.headers(), PRE_COOKIE).unwrap_or_default();
    let Posted(f) = Posted::<LoginForm>::from_request(req, &web).await?;
    let next = safe_next(f.next.as_deref()).to_owned();
    match web_sessions::login(&web.app, &f.email, &f.password, ip).await {
        Ok((token, _)) => {
            let mut resp = Redirect::to(&next).into_response();
            let h = resp.headers_mut();
            h.append(header::SET_COOKIE, set_cookie(COOKIE, Some(&token), web.cfg.secure_cookies));
            h.append(header::SET_COOKIE, set_cookie(PRE_COOKIE, None, web.cfg.secure_cookies));
            Ok(resp)
        }
        Err(Error::Unauthorized(msg)) => {
            let msg = if msg.contains("staff") || msg.contains("disabled") {
                format!("Log in refused: {msg}.")
            } else {
                "E-mail or password is wrong.".to_owned()
            };
            render(&web, &pre, &next, &f.email, Some(msg), StatusCode::UNAUTHORIZED)
        }
        Err(Error::RateLimited { retry_after_secs }) => render(
            &web,
            &pre,
            &next,
            &f.email,
            Some(format!("Too many attempts. Try again in {retry_after_secs} seconds.")),
            StatusCode::TOO_MANY_REQUESTS,
        ),
        Err(e) => Err(e.into()),
    }
}

/// `POST /admin/logout`.
pub async fn logout(
    State(web): State<Web>,
    headers: axum::http::HeaderMap,
    Posted(_): Posted<Empty>,
) -> Result<Response, WebError> {
    if let Some(secret) = cookie(&headers, COOKIE) {
        web_sessions::logout(&web.app, &secret).await?;
    }
    let mut resp = Redirect::to("/admin/login").into_response();
    resp.headers_mut().append(header::SET_COOKIE, set_cookie(COOKIE, None, web.cfg.secure_cookies));
    Ok(resp)
}
