//! Errors of the portal: a redirect (to the login, to the password change), or an error page
//! with its status, a message safe to show and the request id — never internal text (that is
//! logged with the same request id).

use askama::Template;
use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Redirect, Response};
use brokercrm_core::Error;

/// What went wrong in a portal handler.
#[derive(Debug)]
pub enum WebError {
    /// An `app` error, shown as a page.
    App(Error),
    /// Go elsewhere first (303).
    Redirect(String),
    /// A POST without the right CSRF token.
    Csrf,
}

impl From<Error> for WebError {
    fn from(e: Error) -> Self {
        WebError::App(e)
    }
}

impl From<askama::Error> for WebError {
    fn from(e: askama::Error) -> Self {
        WebError::App(Error::internal(format!("template: {e}")))
    }
}

/// The error page a response stands for; rendered by [`render_errors`], which knows the
/// request id.
#[derive(Debug, Clone)]
struct ErrorPage {
    title: &'static str,
    message: String,
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorTemplate<'a> {
    status: u16,
    title: &'a str,
    message: &'a str,
    request_id: &'a str,
    css: String,
}

fn page(status: StatusCode, title: &'static str, message: String) -> Response {
    let mut r = status.into_response();
    r.extensions_mut().insert(ErrorPage { title, message });
    r
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        match self {
            WebError::Redirect(to) => Redirect::to(&to).into_response(),
            WebError::Csrf => page(
                StatusCode::FORBIDDEN,
                "Form refused",
                "This form has expired or did not come from this site. Reload the page and try again."
                    .into(),
            ),
            WebError::App(e) => match e {
                Error::Unauthorized(_) => Redirect::to("/admin/login").into_response(),
                Error::Forbidden | Error::Refused(_) | Error::Unmet(_) => page(
                    StatusCode::FORBIDDEN,
                    "Not allowed",
                    match &e {
                        Error::Forbidden => "Your role may not open this page.".into(),
                        other => other.public_message(),
                    },
                ),
                Error::NotFound(what) => {
                    page(StatusCode::NOT_FOUND, "Not found", format!("No such {what}."))
                }
                Error::RateLimited { retry_after_secs } => page(
                    StatusCode::TOO_MANY_REQUESTS,
                    "Too many requests",
                    format!("Try again in {retry_after_secs} seconds."),
                ),
                Error::Validation(_) | Error::BadRequest(_) | Error::Conflict(_) => {
                    page(StatusCode::BAD_REQUEST, "Not accepted", e.public_message())
                }
                Error::Internal(cause) | Error::Upstream(cause) => {
                    tracing::error!(error = %cause, "portal request failed");
                    page(
                        StatusCode::INTERNAL_SERVER_ERROR,
                        "Something went wrong",
                        "The request could not be completed. Quote the request id below when you report it."
                            .into(),
                    )
                }
                other => page(StatusCode::BAD_REQUEST, "Not accepted", other.public_message()),
            },
        }
    }
}

/// Renders the error page of a failed response, with the request's id.
pub async fn render_errors(req: Request, next: Next) -> Response {
    let request_id =
        req.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or("-").to_owned();
    let resp = next.run(req).await;
    let Some(err) = resp.extensions().get::<ErrorPage>().cloned() else { return resp };
    let status = resp.status();
    let t = ErrorTemplate {
        status: status.as_u16(),
        title: err.title,
        message: &err.message,
        request_id: &request_id,
        css: crate::assets::url("app.css"),
    };
    match t.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(_) => (status, format!("{} (request id {request_id})", err.title)).into_response(),
    }
}

/// A page rendered from template `t`.
pub fn html<T: Template>(t: &T) -> Result<Response, WebError> {
    Ok(Html(t.render()?).into_response())
}

/// `t` rendered with `status` (a form shown again with its errors).
pub fn html_status<T: Template>(status: StatusCode, t: &T) -> Result<Response, WebError> {
    Ok((status, Html(t.render()?)).into_response())
}
