//! Market-data applications: the list, a new application, an application's rules (credentials
//! generation, confirmation, cancel mode, subscriber statuses, success redirect URL) and its
//! API key, shown once — in the answer to the creation or the rotation, never again (the page
//! is `no-store`; only the key's hash is kept).

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use brokercrm_app::market_data::applications::{self, AppInput, ApplicationView};
use brokercrm_core::Error;
use brokercrm_core::identity::auth::Permission;
use serde::Deserialize;

use crate::Web;
use crate::error::{WebError, html, html_status};
use crate::form::{Empty, FieldErrors, Posted, is_form_error};
use crate::layout::{Ctx, DoneQuery, notice};
use crate::session::Staff;

/// The tab key of these screens.
const TAB: &str = "applications";

#[derive(Template)]
#[template(path = "md_applications.html")]
struct ListPage {
    ctx: Ctx,
    tab: &'static str,
    apps: Vec<ApplicationView>,
    can_edit: bool,
}

/// `GET /admin/market-data/applications`.
pub async fn list_page(
    State(web): State<Web>,
    staff: Staff,
    Query(q): Query<DoneQuery>,
) -> Result<Response, WebError> {
    let who = staff.principal();
    let apps = applications::list(&web.app, who, 0, 500).await?;
    html(&ListPage {
        ctx: Ctx::new(&staff, "Market data: applications", "market_data")
            .notice(notice(q.done.as_deref())),
        tab: TAB,
        apps,
        can_edit: who.role.can(Permission::ManageMarketData),
    })
}

/// The application form as typed.
#[derive(Deserialize, Clone)]
pub struct AppForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    credentials_enabled: Option<String>,
    #[serde(default)]
    confirmation_required: Option<String>,
    #[serde(default)]
    cancel_mode: String,
    #[serde(default)]
    allowed_statuses: String,
    #[serde(default)]
    success_redirect_url: String,
}

impl Default for AppForm {
    fn default() -> Self {
        Self {
            name: String::new(),
            credentials_enabled: Some("1".into()),
            confirmation_required: None,
            cancel_mode: "IMMEDIATE".into(),
            allowed_statuses: "ALL".into(),
            success_redirect_url: String::new(),
        }
    }
}

impl AppForm {
    fn of(a: &ApplicationView) -> Self {
        Self {
            name: a.name.clone(),
            credentials_enabled: a.credentials_enabled.then(|| "1".into()),
            confirmation_required: a.confirmation_required.then(|| "1".into()),
            cancel_mode: a.cancel_mode.clone(),
            allowed_statuses: a.allowed_statuses.clone(),
            success_redirect_url: a.success_redirect_url.clone().unwrap_or_default(),
        }
    }

    fn input(&self) -> AppInput {
        AppInput {
            name: Some(self.name.clone()),
            credentials_enabled: Some(self.credentials_enabled.is_some()),
            confirmation_required: Some(self.confirmation_required.is_some()),
            cancel_mode: Some(self.cancel_mode.clone()),
            allowed_statuses: Some(self.allowed_statuses.clone()),
            success_redirect_url: opt(&self.success_redirect_url),
        }
    }
}

/// `Some(value)` unless blank.
fn opt(s: &str) -> Option<String> {
    Some(s.trim().to_owned()).filter(|s| !s.is_empty())
}

/// `app` field names → form field names.
const FIELDS: &[(&str, &str)] = &[
    ("name", "name"),
    ("cancelMode", "cancel_mode"),
    ("allowedStatuses", "allowed_statuses"),
    ("successRedirectUrl", "success_redirect_url"),
];

#[derive(Template)]
#[template(path = "md_application.html")]
struct AppPage {
    ctx: Ctx,
    tab: &'static str,
    /// `None`: a new application.
    app: Option<ApplicationView>,
    f: AppForm,
    errors: FieldErrors,
    can_edit: bool,
}

impl AppPage {
    fn action(&self) -> String {
        match &self.app {
            Some(a) => format!("/admin/market-data/applications/{}", a.id),
            None => "/admin/market-data/applications".into(),
        }
    }
}

fn form_page(
    staff: &Staff,
    app: Option<ApplicationView>,
    f: AppForm,
    errors: FieldErrors,
    done: Option<&str>,
) -> AppPage {
    let title = match &app {
        Some(a) => format!("Application {}", a.name),
        None => "New market-data application".into(),
    };
    AppPage {
        ctx: Ctx::new(staff, title, "market_data").notice(notice(done)),
        tab: TAB,
        app,
        f,
        errors,
        can_edit: staff.principal().role.can(Permission::ManageMarketData),
    }
}

/// `GET /admin/market-data/applications/new`.
pub async fn new_page(staff: Staff) -> Result<Response, WebError> {
    // Only a form: creating is refused by the use case, this spares the others an unusable page.
    if !staff.principal().role.can(Permission::ManageMarketData) {
        return Err(Error::Forbidden.into());
    }
    html(&form_page(&staff, None, AppForm::default(), FieldErrors::default(), None))
}

#[derive(Template)]
#[template(path = "md_key.html")]
struct KeyPage {
    ctx: Ctx,
    tab: &'static str,
    app: ApplicationView,
    key: String,
    rotated: bool,
}

/// The key, once: not cached, not stored anywhere but as its hash.
fn key_page(
    staff: &Staff,
    app: ApplicationView,
    key: String,
    rotated: bool,
) -> Result<Response, WebError> {
    let title = format!("API key of {}", app.name);
    let page = KeyPage { ctx: Ctx::new(staff, title, "market_data"), tab: TAB, app, key, rotated };
    let mut r = html_status(StatusCode::OK, &page)?;
    r.headers_mut().insert(header::CACHE_CONTROL, header::HeaderValue::from_static("no-store"));
    Ok(r)
}

/// `POST /admin/market-data/applications`: creates one and shows its key once.
pub async fn create(
    State(web): State<Web>,
    staff: Staff,
    Posted(f): Posted<AppForm>,
) -> Result<Response, WebError> {
    match applications::create(&web.app, Some(staff.principal()), &f.input()).await {
        Ok((app, key)) => key_page(&staff, app, key, false),
        Err(e) if is_form_error(&e) => {
            let errors = FieldErrors::from_error(&e, FIELDS);
            html_status(StatusCode::UNPROCESSABLE_ENTITY, &form_page(&staff, None, f, errors, None))
        }
        Err(e) => Err(e.into()),
    }
}

/// `GET /admin/market-data/applications/{id}`.
pub async fn page(
    State(web): State<Web>,
    staff: Staff,
    Path(id): Path<String>,
    Query(q): Query<DoneQuery>,
) -> Result<Response, WebError> {
    let app = applications::get(&web.app, staff.principal(), &id).await?;
    let f = AppForm::of(&app);
    html(&form_page(&staff, Some(app), f, FieldErrors::default(), q.done.as_deref()))
}

/// `POST /admin/market-data/applications/{id}`: saves the rules.
pub async fn save(
    State(web): State<Web>,
    staff: Staff,
    Path(id): Path<String>,
    Posted(f): Posted<AppForm>,
) -> Result<Response, WebError> {
    match applications::update(&web.app, staff.principal(), &id, &f.input()).await {
        Ok(_) => Ok(Redirect::to(&format!("/admin/market-data/applications/{id}?done=saved"))
            .into_response()),
        Err(e) if is_form_error(&e) => {
            let app = applications::get(&web.app, staff.principal(), &id).await?;
            let errors = FieldErrors::from_error(&e, FIELDS);
            let page = form_page(&staff, Some(app), f, errors, None);
            html_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /admin/market-data/applications/{id}/rotate`: a new key, shown once; the old one
/// stops working.
pub async fn rotate(
    State(web): State<Web>,
    staff: Staff,
    Path(id): Path<String>,
    Posted(_): Posted<Empty>,
) -> Result<Response, WebError> {
    let key = applications::rotate_key(&web.app, staff.principal(), &id).await?;
    let app = applications::get(&web.app, staff.principal(), &id).await?;
    key_page(&staff, app, key, true)
}
