//! The HTML of the wizard and profile pages (askama templates under
//! `crates/http/templates/market_data/`, escaped by default), in the LIGHT or DARK theme.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

/// The theme a link asks for (`?theme=DARK`; LIGHT otherwise).
pub fn theme_of(raw: Option<&str>) -> &'static str {
    if raw.is_some_and(|t| t.eq_ignore_ascii_case("DARK")) { "dark" } else { "light" }
}

/// One personal-data field of the form.
pub struct FieldView {
    pub name: &'static str,
    pub label: &'static str,
    pub value: String,
    pub required: bool,
}

/// One questionnaire question and the answer given so far.
pub struct QuestionView {
    pub name: &'static str,
    pub text: &'static str,
    pub answer: String,
}

/// One agreement to sign.
pub struct AgreementItem {
    pub feed_id: i64,
    pub feed: String,
    pub title: String,
    pub text: String,
    pub version: String,
}

#[derive(Template)]
#[template(path = "market_data/signup.html")]
pub struct SignupPage {
    pub theme: &'static str,
    pub action: String,
    pub email: String,
    pub customer_kyc: Option<String>,
    pub errors: Vec<String>,
    pub fields: Vec<FieldView>,
    pub questions: Vec<QuestionView>,
    pub agreements: Vec<AgreementItem>,
}

#[derive(Template)]
#[template(path = "market_data/message.html")]
pub struct MessagePage<'a> {
    pub theme: &'static str,
    pub heading: &'a str,
    pub text: &'a str,
}

/// An agreement as signed.
pub struct SignedView {
    pub title: String,
    pub text: String,
    pub version: String,
    pub signed_at: String,
    pub ip: Option<String>,
}

#[derive(Template)]
#[template(path = "market_data/profile.html")]
pub struct ProfileView {
    pub theme: &'static str,
    pub email: String,
    pub status: Option<String>,
    pub personal: Vec<(String, String)>,
    pub agreements: Vec<SignedView>,
    /// Name, status, end.
    pub subscriptions: Vec<(String, String, String)>,
}

/// Renders `t` with `status`; a template failure is a plain 500.
pub fn render<T: Template>(status: StatusCode, t: &T) -> Response {
    match t.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "market-data page failed to render");
            (StatusCode::INTERNAL_SERVER_ERROR, "Internal error").into_response()
        }
    }
}

/// A page with a heading and one sentence.
pub fn message(status: StatusCode, theme: &'static str, heading: &str, text: &str) -> Response {
    render(status, &MessagePage { theme, heading, text })
}

/// The page of a link that is unknown, used or expired.
pub fn gone(theme: &'static str) -> Response {
    message(
        StatusCode::NOT_FOUND,
        theme,
        "This link is no longer valid",
        "It was used already, has expired or was replaced by a newer one. Ask for a new link.",
    )
}
