//! Settings (ReadSettings; changes ManageSettings): every plain key of the registry in one
//! form, saved together (all checked first, a bad value named beside its key, nothing written
//! on a refusal); the keys set on their own screens or API routes listed with whether they
//! are configured, never their values (`platform::settings`).

use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use brokercrm_app::platform::settings::{self, KEYS, KeyDef, Kind};
use brokercrm_core::Permission;

use crate::Web;
use crate::error::WebError;
use crate::form::{Posted, is_form_error};
use crate::layout::{Ctx, notice};
use crate::resource::{Cell, Field, Form, ResourcePage, Row, Table, Values};
use crate::session::Staff;

fn plain() -> impl Iterator<Item = &'static KeyDef> {
    KEYS.iter().filter(|d| !matches!(d.kind, Kind::Managed(_)))
}

fn hint(kind: Kind) -> &'static str {
    match kind {
        Kind::Email => "An e-mail address.",
        Kind::Url => "An http(s) URL.",
        Kind::Currency => "ISO 4217, e.g. USD.",
        Kind::Language => "ISO 639-1, e.g. en.",
        _ => "",
    }
}

fn field(d: &KeyDef, value: &str) -> Field {
    let f = match d.kind {
        Kind::Bool => {
            Field::select(d.key, d.key, [("", "not set"), ("true", "on"), ("false", "off")])
        }
        Kind::Email => Field::input("email", d.key, d.key),
        Kind::Url => Field::input("url", d.key, d.key),
        _ => Field::text(d.key, d.key),
    };
    let h = hint(d.kind);
    let f = if h.is_empty() { f } else { f.hint(h) };
    f.value(value)
}

async fn current(
    web: &Web,
    staff: &Staff,
) -> Result<Vec<(&'static KeyDef, Option<String>)>, WebError> {
    let mut out = Vec::with_capacity(KEYS.len());
    for d in KEYS {
        out.push((d, settings::get(&web.app, Some(staff.principal()), d.key).await?));
    }
    Ok(out)
}

async fn render(
    web: &Web,
    staff: &Staff,
    done: Option<&str>,
    refused: Option<Form>,
) -> Result<Response, WebError> {
    let who = staff.principal();
    let now = current(web, staff).await?;
    let mut form =
        Form::post("settings-form", "/admin/settings", "Settings").submit("Save settings");
    for (d, v) in now.iter().filter(|(d, _)| !matches!(d.kind, Kind::Managed(_))) {
        form = form.field(field(d, v.as_deref().unwrap_or("")));
    }
    let managed = now.iter().filter_map(|(d, v)| match d.kind {
        Kind::Managed(route) => {
            Some(Row::new(vec![Cell::code(d.key), Cell::yes_no(v.is_some()), Cell::code(route)]))
        }
        _ => None,
    });
    let table =
        Table::new("managed-settings", "Set elsewhere", &["Key", "Configured", "Set through"])
            .rows(managed.collect());
    let ctx = Ctx::new(staff, "Settings", "settings").notice(notice(done));
    let form = refused.unwrap_or(form).disabled(!who.role.can(Permission::ManageSettings));
    ResourcePage::new(ctx).form(form).table(table).render()
}

/// `GET /admin/settings`.
pub async fn page(
    State(web): State<Web>,
    staff: Staff,
    Query(q): Query<Values>,
) -> Result<Response, WebError> {
    render(&web, &staff, q.done(), None).await
}

/// `POST /admin/settings`: writes the keys whose value changed (a blank one stays as it is).
pub async fn save(
    State(web): State<Web>,
    staff: Staff,
    Posted(f): Posted<Values>,
) -> Result<Response, WebError> {
    let now = current(&web, &staff).await?;
    let changed: Vec<(String, String)> = plain()
        .filter_map(|d| {
            let sent = f.opt(d.key)?;
            let old = now.iter().find(|(x, _)| x.key == d.key).and_then(|(_, v)| v.as_deref());
            (old != Some(sent.as_str())).then(|| (d.key.to_owned(), sent))
        })
        .collect();
    match settings::put_many(&web.app, staff.principal(), &changed).await {
        Ok(_) => Ok(Redirect::to("/admin/settings?done=saved").into_response()),
        Err(e) if is_form_error(&e) => {
            let names: Vec<(&str, &str)> = plain().map(|d| (d.key, d.key)).collect();
            let mut form =
                Form::post("settings-form", "/admin/settings", "Settings").submit("Save settings");
            for d in plain() {
                form = form.field(field(d, ""));
            }
            render(&web, &staff, None, Some(form.refused(&f, &e, &names))).await
        }
        Err(e) => Err(e.into()),
    }
}
