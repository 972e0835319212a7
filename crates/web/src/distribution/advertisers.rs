//! Advertisers (ReadLeadDistribution; changes ManageLeadDistribution): the list, one created,
//! an advertiser's page to edit its kind, configuration (JSON; secrets are shown masked and a
//! blank field keeps the stored one), timeout and requirements, enable or disable it, rotate
//! its postback secret (shown once) or delete it (`app::distribution::advertisers`).

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use brokercrm_app::distribution::Page;
use brokercrm_app::distribution::advertisers::{
    self, AdvertiserInput, AdvertiserPatch, AdvertiserView,
};
use brokercrm_core::distribution::rules::AdvertiserKind;
use brokercrm_core::{Error, Permission};
use serde_json::Value;

use crate::Web;
use crate::error::WebError;
use crate::form::{Empty, Posted, is_form_error};
use crate::layout::{Ctx, notice};
use crate::resource::{Cell, Field, Form, ResourcePage, Row, Table, Values};
use crate::session::Staff;

const BASE: &str = "/admin/advertisers";
const NAMES: [(&str, &str); 6] = [
    ("name", "name"),
    ("kind", "kind"),
    ("config", "config"),
    ("timeoutMs", "timeout"),
    ("requireAutoLogin", "auto_login"),
    ("requireExternalId", "external_id"),
];

/// The advertiser form, filled from `a` (a new one when `None`).
fn form(a: Option<&AdvertiserView>) -> Form {
    let kinds = AdvertiserKind::ALL.iter().map(|k| (k.as_str(), k.as_str().replace('_', " ")));
    let (action, legend) = match a {
        Some(a) => (format!("{BASE}/{}", a.uuid), "Advertiser".to_owned()),
        None => (BASE.to_owned(), "Add an advertiser".to_owned()),
    };
    let config = Field::input("textarea", "config", "Configuration (JSON)");
    let config = match a {
        Some(_) => {
            config.hint("Blank keeps the stored configuration (its secrets are never shown).")
        }
        None => config.value("{}"),
    };
    Form::post("advertiser-form", action, legend)
        .field(Field::text("name", "Name").value(a.map_or("", |a| a.name.as_str())).required())
        .field(
            Field::select("kind", "Kind", kinds)
                .value(a.map_or("internal_crm", |a| a.kind.as_str())),
        )
        .field(config)
        .field(
            Field::input("number", "timeout", "Timeout (ms)")
                .value(a.map_or(10_000, |a| a.timeout_ms)),
        )
        .field(
            Field::checkbox("auto_login", "Requires an auto-login URL")
                .checked(a.is_some_and(|a| a.require_auto_login)),
        )
        .field(
            Field::checkbox("external_id", "Requires its own lead id")
                .checked(a.is_some_and(|a| a.require_external_id)),
        )
        .field(Field::checkbox("active", "Active").checked(a.is_none_or(|a| a.active)))
}

/// The JSON of the config field; blank is `None`, bad JSON a field error.
fn config(f: &Values) -> Result<Option<Value>, Error> {
    match f.opt("config") {
        None => Ok(None),
        Some(s) => serde_json::from_str(&s)
            .map(Some)
            .map_err(|_| Error::field("config", "must be valid JSON")),
    }
}

fn timeout(f: &Values) -> Result<Option<i64>, Error> {
    match f.opt("timeout") {
        None => Ok(None),
        Some(s) => s
            .parse()
            .map(Some)
            .map_err(|_| Error::field("timeoutMs", "must be a whole number of milliseconds")),
    }
}

async fn list_page(
    web: &Web,
    staff: &Staff,
    done: Option<&str>,
    new: Option<Form>,
) -> Result<Response, WebError> {
    let who = staff.principal();
    let all = advertisers::list(&web.app, who, Page::new(Some(200), Some(0))?).await?;
    let rows = all.iter().map(|a| {
        Row::new(vec![
            Cell::link(&a.name, format!("{BASE}/{}", a.uuid)),
            Cell::text(a.kind.replace('_', " ")),
            Cell::text(a.timeout_ms),
            Cell::yes_no(a.active),
        ])
    });
    let ctx = Ctx::new(staff, "Advertisers", "advertisers").notice(notice(done));
    let table =
        Table::new("advertisers", "Advertisers", &["Name", "Kind", "Timeout (ms)", "Active"])
            .rows(rows.collect());
    let can = who.role.can(Permission::ManageLeadDistribution);
    ResourcePage::new(ctx).table(table).form_if(can, || new.unwrap_or_else(|| form(None))).render()
}

/// `GET /admin/advertisers`.
pub async fn list(
    State(web): State<Web>,
    staff: Staff,
    Query(q): Query<Values>,
) -> Result<Response, WebError> {
    list_page(&web, &staff, q.done(), None).await
}

/// `POST /admin/advertisers`.
pub async fn create(
    State(web): State<Web>,
    staff: Staff,
    Posted(f): Posted<Values>,
) -> Result<Response, WebError> {
    let made = match (config(&f), timeout(&f)) {
        (Ok(config), Ok(timeout_ms)) => {
            let input = AdvertiserInput {
                name: f.get("name").to_owned(),
                kind: f.get("kind").to_owned(),
                config,
                active: Some(f.checked("active")),
                timeout_ms,
                require_auto_login: Some(f.checked("auto_login")),
                require_external_id: Some(f.checked("external_id")),
                traffic_filter: None,
            };
            advertisers::create(&web.app, staff.principal(), input).await
        }
        (Err(e), _) | (_, Err(e)) => Err(e),
    };
    match made {
        Ok(a) => Ok(Redirect::to(&format!("{BASE}/{}?done=created", a.uuid)).into_response()),
        Err(e) if is_form_error(&e) => {
            list_page(&web, &staff, None, Some(form(None).refused(&f, &e, &NAMES))).await
        }
        Err(e) => Err(e.into()),
    }
}

fn page_of(
    staff: &Staff,
    a: &AdvertiserView,
    done: Option<&str>,
    edit: Form,
    secret: Option<(String, String)>,
) -> ResourcePage {
    let can = staff.principal().role.can(Permission::ManageLeadDistribution);
    let ctx = Ctx::new(staff, format!("Advertiser {}", a.name), "advertisers").notice(notice(done));
    let stored = Table::new(
        "advertiser-config",
        "Stored configuration",
        &["Configuration (secrets masked)", "Postback secret"],
    )
    .rows(vec![Row::new(vec![
        Cell::code(a.config.to_string()),
        Cell::yes_no(a.has_postback_secret),
    ])]);
    let mut page = ResourcePage::new(ctx)
        .back(BASE, "All advertisers")
        .table(stored)
        .form(edit.disabled(!can));
    if let Some((label, value)) = secret {
        page = page.secret(label, value);
    }
    page.form_if(can, || {
        Form::post("secret-form", format!("{BASE}/{}/postback-secret", a.uuid), "Postback secret")
            .submit("Generate a new postback secret")
    })
    .form_if(can, || {
        Form::post("delete-form", format!("{BASE}/{}/delete", a.uuid), "Delete")
            .submit("Delete advertiser")
    })
}

/// `GET /admin/advertisers/{id}`.
pub async fn page(
    State(web): State<Web>,
    staff: Staff,
    Path(id): Path<String>,
    Query(q): Query<Values>,
) -> Result<Response, WebError> {
    let a = advertisers::get(&web.app, staff.principal(), &id).await?;
    page_of(&staff, &a, q.done(), form(Some(&a)), None).render()
}

/// `POST /admin/advertisers/{id}`: saves what the form shows.
pub async fn save(
    State(web): State<Web>,
    staff: Staff,
    Path(id): Path<String>,
    Posted(f): Posted<Values>,
) -> Result<Response, WebError> {
    let who = staff.principal();
    let saved = match (config(&f), timeout(&f)) {
        (Ok(config), Ok(timeout_ms)) => {
            let patch = AdvertiserPatch {
                name: Some(f.get("name").to_owned()),
                kind: Some(f.get("kind").to_owned()),
                config,
                active: Some(f.checked("active")),
                timeout_ms,
                require_auto_login: Some(f.checked("auto_login")),
                require_external_id: Some(f.checked("external_id")),
                traffic_filter: None,
            };
            advertisers::update(&web.app, who, &id, patch).await
        }
        (Err(e), _) | (_, Err(e)) => Err(e),
    };
    match saved {
        Ok(_) => Ok(Redirect::to(&format!("{BASE}/{id}?done=saved")).into_response()),
        Err(e) if is_form_error(&e) => {
            let a = advertisers::get(&web.app, who, &id).await?;
            let edit = form(Some(&a)).refused(&f, &e, &NAMES);
            page_of(&staff, &a, None, edit, None).render()
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /admin/advertisers/{id}/postback-secret`: a new secret, shown once.
pub async fn rotate_secret(
    State(web): State<Web>,
    staff: Staff,
    Path(id): Path<String>,
    Posted(_): Posted<Empty>,
) -> Result<Response, WebError> {
    let who = staff.principal();
    let s = advertisers::rotate_postback_secret(&web.app, who, &id).await?;
    let a = advertisers::get(&web.app, who, &id).await?;
    let label = format!("Postback secret (postbacks go to {})", s.postback_url);
    page_of(&staff, &a, None, form(Some(&a)), Some((label, s.secret))).render()
}

/// `POST /admin/advertisers/{id}/delete`.
pub async fn delete(
    State(web): State<Web>,
    staff: Staff,
    Path(id): Path<String>,
    Posted(_): Posted<Empty>,
) -> Result<Response, WebError> {
    advertisers::delete(&web.app, staff.principal(), &id).await?;
    Ok(Redirect::to(&format!("{BASE}?done=deleted")).into_response())
}
