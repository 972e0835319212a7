//! Marketing banners (ReadCommissions; changes ManageCommissions): every banner with its
//! thumbnail (served by the existing banner-file route), name, date window and link; upload
//! one (multipart: the CSRF token is checked before the file is read; the use case sniffs
//! the image type and limits its size), move its date window, delete it
//! (`partners::marketing::banners`).

use askama::Template;
use axum::extract::{FromRequest, Multipart, Path, Query, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use brokercrm_app::partners::marketing::banners::{self, BannerInput, BannerView, LINK_TARGETS};
use brokercrm_app::partners::marketing::files::MAX_BANNER_BYTES;
use brokercrm_core::{Error, Permission};
use chrono::NaiveDate;

use crate::Web;
use crate::error::{WebError, html_status};
use crate::form::{Empty, FieldErrors, Posted, is_form_error};
use crate::layout::{Ctx, notice};
use crate::resource::Values;
use crate::session::{COOKIE, Staff, cookie};

const PATH: &str = "/admin/banners";
/// Largest request body: room for an image over the limit, so the use case names the limit.
pub const MAX_BODY: usize = 2 * MAX_BANNER_BYTES;
const NAMES: [(&str, &str); 6] = [
    ("name", "name"),
    ("startDate", "start"),
    ("endDate", "end"),
    ("link", "link"),
    ("linkTarget", "target"),
    ("file", "file"),
];

#[derive(Template)]
#[template(path = "banners.html")]
struct BannersPage {
    ctx: Ctx,
    banners: Vec<BannerView>,
    can_change: bool,
    targets: &'static [&'static str],
    /// The upload form's errors and what was typed there.
    errors: FieldErrors,
    typed: Values,
    /// A window form that was refused: its banner and errors.
    window: Option<(i64, FieldErrors, Values)>,
}

impl BannersPage {
    fn typed(&self, name: &str) -> &str {
        self.typed.get(name)
    }
    fn is_target(&self, t: &str) -> bool {
        self.typed.get("target") == t
    }
    fn window_failed(&self, id: &i64) -> Option<&FieldErrors> {
        self.window.as_ref().filter(|(w, _, _)| w == id).map(|(_, e, _)| e)
    }
    fn window_value(&self, b: &BannerView, end: bool) -> String {
        let field = if end { "end" } else { "start" };
        match &self.window {
            Some((w, _, typed)) if *w == b.id => typed.get(field).to_owned(),
            _ => (if end { b.end_at } else { b.start_at }).format("%Y-%m-%d").to_string(),
        }
    }
    fn window_start(&self, b: &BannerView) -> String {
        self.window_value(b, false)
    }
    fn window_end(&self, b: &BannerView) -> String {
        self.window_value(b, true)
    }
}

async fn render(
    web: &Web,
    staff: &Staff,
    done: Option<&str>,
    errors: FieldErrors,
    typed: Values,
    window: Option<(i64, FieldErrors, Values)>,
) -> Result<Response, WebError> {
    let who = staff.principal();
    let banners = banners::list(&web.app, who).await?;
    let refused = !errors.is_empty() || window.is_some();
    let page = BannersPage {
        ctx: Ctx::new(staff, "Banners", "banners").notice(notice(done)),
        banners,
        can_change: who.role.can(Permission::ManageCommissions),
        targets: &LINK_TARGETS,
        errors,
        typed,
        window,
    };
    let code = if refused { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    html_status(code, &page)
}

/// `GET /admin/banners`.
pub async fn page(
    State(web): State<Web>,
    staff: Staff,
    Query(q): Query<Values>,
) -> Result<Response, WebError> {
    render(&web, &staff, q.done(), FieldErrors::default(), Values::default(), None).await
}

/// A day of the form as the use case's date-time: its first second (`end`: its last), in
/// UTC; anything else is passed on for the use case to refuse.
fn day(raw: &str, end: bool) -> Option<String> {
    let raw = raw.trim();
    if raw.is_empty() {
        return None;
    }
    let time = if end { "23:59:59" } else { "00:00:00" };
    Some(match NaiveDate::parse_from_str(raw, "%Y-%m-%d") {
        Ok(d) => format!("{d}T{time}Z"),
        Err(_) => raw.to_owned(),
    })
}

fn bad_form() -> WebError {
    WebError::App(Error::BadRequest("the form could not be read".into()))
}

/// `POST /admin/banners` (multipart: `_csrf` first, then `name`, `start`, `end`, `link`,
/// `target` and `file`).
pub async fn upload(
    State(web): State<Web>,
    staff: Staff,
    req: Request,
) -> Result<Response, WebError> {
    let secret = cookie(req.headers(), COOKIE).unwrap_or_default();
    let mut form = Multipart::from_request(req, &web).await.map_err(|_| WebError::Csrf)?;
    let mut csrf = String::new();
    let mut typed = Vec::new();
    let mut file = None;
    while let Some(field) = form.next_field().await.map_err(|_| bad_form())? {
        let name = field.name().unwrap_or_default().to_owned();
        if name == crate::csrf::FIELD {
            csrf = field.text().await.map_err(|_| bad_form())?;
            continue;
        }
        // The token must come first: nothing of the form is read without it.
        if !crate::csrf::verify(&csrf, &[&secret]) {
            return Err(WebError::Csrf);
        }
        if name == "file" {
            let bytes = field.bytes().await.map_err(|_| bad_form())?;
            file = Some(bytes.to_vec()).filter(|b| !b.is_empty());
        } else if ["name", "start", "end", "link", "target"].contains(&name.as_str()) {
            typed.push((name, field.text().await.map_err(|_| bad_form())?));
        }
    }
    if !crate::csrf::verify(&csrf, &[&secret]) {
        return Err(WebError::Csrf);
    }
    let typed = Values(typed);
    let input = BannerInput {
        name: typed.opt("name"),
        start_date: day(typed.get("start"), false),
        end_date: day(typed.get("end"), true),
        link: typed.opt("link"),
        link_target: typed.opt("target"),
        file,
    };
    match banners::create(&web.app, staff.principal(), input).await {
        Ok(_) => Ok(Redirect::to(&format!("{PATH}?done=uploaded")).into_response()),
        Err(e) if is_form_error(&e) => {
            let errors = FieldErrors::from_error(&e, &NAMES);
            render(&web, &staff, None, errors, typed, None).await
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /admin/banners/{id}/window`: moves the banner's date window (the rest is kept).
pub async fn window(
    State(web): State<Web>,
    staff: Staff,
    Path(id): Path<i64>,
    Posted(f): Posted<Values>,
) -> Result<Response, WebError> {
    let (start, end) = (day(f.get("start"), false), day(f.get("end"), true));
    match banners::set_window(&web.app, staff.principal(), id, start, end).await {
        Ok(_) => Ok(Redirect::to(&format!("{PATH}?done=saved")).into_response()),
        Err(e) if is_form_error(&e) => {
            let window = Some((id, FieldErrors::from_error(&e, &NAMES), f));
            render(&web, &staff, None, FieldErrors::default(), Values::default(), window).await
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /admin/banners/{id}/delete`.
pub async fn delete(
    State(web): State<Web>,
    staff: Staff,
    Path(id): Path<i64>,
    Posted(_): Posted<Empty>,
) -> Result<Response, WebError> {
    banners::delete(&web.app, staff.principal(), id).await?;
    Ok(Redirect::to(&format!("{PATH}?done=deleted")).into_response())
}
