//! The pages behind the API's links: the signup wizard (`GET` shows the form, `POST` submits
//! it as a plain HTML form) and the profile page. A link's token is its credential.

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::http::header::LOCATION;
use axum::response::{IntoResponse, Response};
use brokercrm_app::App;
use brokercrm_app::market_data::links::SIGNUP_PATH;
use brokercrm_app::market_data::wizard::{self, QUESTIONS, REQUIRED, WizardForm, WizardPage};
use brokercrm_app::market_data::{accounts::METADATA_FIELDS, profile};
use brokercrm_core::Error;
use serde::Deserialize;
use utoipa::IntoParams;

use super::PAGES_TAG;
use super::pages::{
    self, AgreementItem, FieldView, ProfileView, QuestionView, SignedView, SignupPage, gone,
    theme_of,
};
use crate::extract::ClientIp;

/// `?theme=LIGHT|DARK`.
#[derive(Debug, Deserialize, IntoParams)]
pub struct ThemeQuery {
    /// `LIGHT` (default) or `DARK`.
    pub theme: Option<String>,
}

const LABELS: [&str; 10] = [
    "First name",
    "Last name",
    "Country",
    "State / province",
    "Address",
    "City",
    "ZIP / postal code",
    "Phone",
    "Company",
    "Job title",
];

fn form_page(
    theme: &'static str,
    token: &str,
    page: WizardPage,
    given: Option<&HashMap<String, String>>,
    errors: Vec<String>,
) -> SignupPage {
    let value = |name: &str| {
        given
            .and_then(|g| g.get(name))
            .or_else(|| page.values.get(name))
            .cloned()
            .unwrap_or_default()
    };
    SignupPage {
        theme,
        action: format!("{SIGNUP_PATH}/{token}?theme={}", theme.to_uppercase()),
        email: page.email.clone(),
        customer_kyc: page.customer_kyc.clone(),
        errors,
        fields: METADATA_FIELDS
            .iter()
            .zip(LABELS)
            .map(|(name, label)| FieldView {
                name,
                label,
                value: value(name),
                required: REQUIRED.contains(name),
            })
            .collect(),
        questions: QUESTIONS
            .iter()
            .map(|(name, text)| QuestionView {
                name,
                text,
                answer: given.and_then(|g| g.get(*name)).cloned().unwrap_or_default(),
            })
            .collect(),
        agreements: page
            .agreements
            .into_iter()
            .map(|a| AgreementItem {
                feed_id: a.feed_id,
                feed: a.feed,
                title: a.title,
                text: a.text,
                version: a.version,
            })
            .collect(),
    }
}

/// Shows the signup wizard of a live link.
#[utoipa::path(
    get, path = "/market-data/signup/{token}", tag = PAGES_TAG, summary = "Show the market-data signup wizard",
    params(("token" = String, Path, description = "The link's token"), ThemeQuery),
    responses(
        (status = 200, description = "The form (HTML)", content_type = "text/html"),
        (status = 404, description = "Unknown, used or expired link (HTML)", content_type = "text/html")
    )
)]
pub async fn show_signup(
    State(app): State<App>,
    Path(token): Path<String>,
    Query(q): Query<ThemeQuery>,
) -> Response {
    let theme = theme_of(q.theme.as_deref());
    match wizard::open(&app, &token).await {
        Ok(page) => {
            pages::render(StatusCode::OK, &form_page(theme, &token, page, None, Vec::new()))
        }
        Err(Error::NotFound(_)) => gone(theme),
        Err(e) => failure(theme, e),
    }
}

/// Submits the wizard (an HTML form post). Success redirects (303) to the success URL, or
/// shows a thank-you page; invalid fields show the form again (422); answers the
/// restrictions refuse show why (409).
#[utoipa::path(
    post, path = "/market-data/signup/{token}", tag = PAGES_TAG, summary = "Submit the market-data signup wizard",
    params(("token" = String, Path, description = "The link's token"), ThemeQuery),
    request_body(content = HashMap<String, String>, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 200, description = "Done (HTML)", content_type = "text/html"),
        (status = 303, description = "Done: to the success redirect URL"),
        (status = 404, description = "Unknown, used or expired link (HTML)", content_type = "text/html"),
        (status = 409, description = "The answers make a status the feeds do not serve (HTML)", content_type = "text/html"),
        (status = 422, description = "Invalid fields: the form again, with the errors (HTML)", content_type = "text/html")
    )
)]
pub async fn submit_signup(
    State(app): State<App>,
    Path(token): Path<String>,
    Query(q): Query<ThemeQuery>,
    ip: ClientIp,
    bytes: bytes::Bytes,
) -> Response {
    let theme = theme_of(q.theme.as_deref());
    let fields: HashMap<String, String> =
        serde_urlencoded::from_bytes::<Vec<(String, String)>>(&bytes)
            .unwrap_or_default()
            .into_iter()
            .collect();
    let form = WizardForm { fields: fields.clone(), ip: ip.0.map(|i| i.to_string()) };
    match wizard::submit(&app, &token, form).await {
        Ok(Some(url)) => (StatusCode::SEE_OTHER, [(LOCATION, url)]).into_response(),
        Ok(None) => pages::message(
            StatusCode::OK,
            theme,
            "Thank you",
            "Your market-data sign-up is complete.",
        ),
        Err(Error::NotFound(_)) => gone(theme),
        Err(Error::Validation(errs)) => {
            let errors = errs.iter().map(|e| format!("{}: {}", e.field, e.message)).collect();
            match wizard::open(&app, &token).await {
                Ok(page) => pages::render(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    &form_page(theme, &token, page, Some(&fields), errors),
                ),
                Err(_) => gone(theme),
            }
        }
        Err(Error::Refused(reason)) => {
            pages::message(StatusCode::CONFLICT, theme, "Market data cannot be activated", &reason)
        }
        Err(e) => failure(theme, e),
    }
}

/// Shows the profile page of a live profile link.
#[utoipa::path(
    get, path = "/market-data/profile/{token}", tag = PAGES_TAG, summary = "Show the market-data profile page",
    params(("token" = String, Path, description = "The link's token"), ThemeQuery),
    responses(
        (status = 200, description = "The profile (HTML)", content_type = "text/html"),
        (status = 404, description = "Unknown or expired link (HTML)", content_type = "text/html")
    )
)]
pub async fn show_profile(
    State(app): State<App>,
    Path(token): Path<String>,
    Query(q): Query<ThemeQuery>,
) -> Response {
    let theme = theme_of(q.theme.as_deref());
    let p = match profile::page(&app, &token).await {
        Ok(p) => p,
        Err(Error::NotFound(_)) => return gone(theme),
        Err(e) => return failure(theme, e),
    };
    let view = ProfileView {
        theme,
        email: p.email,
        status: p.status,
        personal: p.personal.into_iter().collect(),
        agreements: p
            .agreements
            .into_iter()
            .map(|a| SignedView {
                title: a.title,
                text: a.text,
                version: a.version,
                signed_at: a.signed_at.to_rfc3339(),
                ip: a.ip,
            })
            .collect(),
        subscriptions: p
            .subscriptions
            .into_iter()
            .map(|s| {
                let status = if s.active { "ACTIVE" } else { "EXPIRED" };
                (
                    s.name,
                    status.to_owned(),
                    s.expires_at.map(|e| e.to_rfc3339()).unwrap_or_else(|| "no end".into()),
                )
            })
            .collect(),
    };
    pages::render(StatusCode::OK, &view)
}

fn failure(theme: &'static str, e: Error) -> Response {
    tracing::error!(error = ?e, "market-data page failed");
    pages::message(
        StatusCode::INTERNAL_SERVER_ERROR,
        theme,
        "Something went wrong",
        "Please try again later.",
    )
}
