//! The CSV lead import: upload a file ("Upload leads from CSV": same checks), the rows are
//! processed in the background, and the import's page shows the progress bar (polled by our
//! script while it runs) and then the per-row report ("Get lead import").

use std::collections::HashMap;

use askama::Template;
use axum::extract::{FromRequest, Multipart, Path, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use brokercrm_app::sales::leads::import::{self, ImportView};
use brokercrm_core::Error;

use crate::Web;
use crate::error::{WebError, html, html_status};
use crate::layout::Ctx;
use crate::session::{COOKIE, Staff, cookie};

/// Largest accepted file (as the API's upload).
pub const MAX_FILE: usize = 32 * 1024 * 1024;

#[derive(Template)]
#[template(path = "import.html")]
struct ImportForm {
    ctx: Ctx,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "import_progress.html")]
struct ImportPage {
    ctx: Ctx,
    i: ImportView,
}

impl ImportPage {
    fn running(&self) -> bool {
        self.i.status != "done"
    }
}

/// `GET /admin/leads/import`.
pub async fn form(staff: Staff) -> Result<Response, WebError> {
    html(&ImportForm { ctx: Ctx::new(&staff, "Import leads", "leads"), error: None })
}

fn bad_form() -> WebError {
    WebError::App(Error::BadRequest("the form could not be read".into()))
}

/// `POST /admin/leads/import` (multipart: `_csrf`, `file`).
pub async fn upload(
    State(web): State<Web>,
    staff: Staff,
    req: Request,
) -> Result<Response, WebError> {
    let secret = cookie(req.headers(), COOKIE).unwrap_or_default();
    let mut form = Multipart::from_request(req, &web).await.map_err(|_| WebError::Csrf)?;
    let mut csrf = String::new();
    let mut file = None;
    while let Some(field) = form.next_field().await.map_err(|_| bad_form())? {
        match field.name() {
            Some(crate::csrf::FIELD) => csrf = field.text().await.map_err(|_| bad_form())?,
            Some("file") => {
                // The token must come first: nothing of the file is read without it.
                if !crate::csrf::verify(&csrf, &[&secret]) {
                    return Err(WebError::Csrf);
                }
                file = Some(field.bytes().await.map_err(|_| bad_form())?);
            }
            _ => {}
        }
    }
    if !crate::csrf::verify(&csrf, &[&secret]) {
        return Err(WebError::Csrf);
    }
    let bytes = file.filter(|b| !b.is_empty());
    let started = match bytes {
        None => Err(Error::field("file", "is required")),
        Some(b) => import::start(&web.app, staff.principal(), &b, &HashMap::new()).await,
    };
    match started {
        Ok(s) => {
            let id = s.id().to_owned();
            tokio::spawn(async move {
                if let Err(e) = s.run().await {
                    tracing::error!(error = ?e, "lead import failed");
                }
            });
            Ok(Redirect::to(&format!("/admin/leads/imports/{id}")).into_response())
        }
        Err(e) if crate::form::is_form_error(&e) => html_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            &ImportForm {
                ctx: Ctx::new(&staff, "Import leads", "leads"),
                error: Some(e.public_message()),
            },
        ),
        Err(e) => Err(e.into()),
    }
}

/// `GET /admin/leads/imports/{id}`.
pub async fn progress(
    State(web): State<Web>,
    staff: Staff,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let i = import::get(&web.app, staff.principal(), &id).await?;
    html(&ImportPage { ctx: Ctx::new(&staff, "Lead import", "leads"), i })
}
