//! Changing one's own password: required before anything else after a login with the one-time
//! first-admin password. Goes through "Update user" (current password checked and throttled,
//! every other session and token of the user ended), then opens a fresh portal session.

use askama::Template;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use brokercrm_app::identity::web_sessions;
use serde::Deserialize;

use crate::Web;
use crate::error::{WebError, html, html_status};
use crate::form::{FieldErrors, Posted, is_form_error};
use crate::layout::Ctx;
use crate::session::{COOKIE, Staff, set_cookie};

#[derive(Template)]
#[template(path = "password.html")]
struct PasswordPage {
    ctx: Ctx,
    required: bool,
    errors: FieldErrors,
}

/// `GET /admin/password`.
pub async fn form(staff: Staff) -> Result<Response, WebError> {
    html(&PasswordPage {
        ctx: Ctx::new(&staff, "Change password", ""),
        required: staff.session.password_change_required,
        errors: FieldErrors::default(),
    })
}

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    current: String,
    #[serde(default)]
    new: String,
}

/// `POST /admin/password`.
pub async fn submit(
    State(web): State<Web>,
    staff: Staff,
    Posted(f): Posted<PasswordForm>,
) -> Result<Response, WebError> {
    match web_sessions::change_password(&web.app, staff.principal(), &f.current, &f.new).await {
        Ok(token) => {
            let mut resp = Redirect::to("/admin?done=password").into_response();
            resp.headers_mut().append(
                header::SET_COOKIE,
                set_cookie(COOKIE, Some(&token), web.cfg.secure_cookies),
            );
            Ok(resp)
        }
        Err(e) if is_form_error(&e) => html_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            &PasswordPage {
                ctx: Ctx::new(&staff, "Change password", ""),
                required: staff.session.password_change_required,
                errors: FieldErrors::from_error(
                    &e,
                    &[("currentPassword", "current"), ("newPassword", "new")],
                ),
            },
        ),
        Err(e) => Err(e.into()),
    }
}
