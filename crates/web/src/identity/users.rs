//! Users and roles (ManageUsers): staff listed with filters in the URL, created with a
//! one-time password shown once, a user's role changed and the user disabled or enabled
//! (`app::identity::staff`, `users::status`).

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use brokercrm_app::identity::staff::{self, NewStaff, StaffQuery, StaffView};
use brokercrm_app::identity::users::status;

use crate::Web;
use crate::error::WebError;
use crate::form::{Empty, Posted, is_form_error};
use crate::layout::{Ctx, DoneQuery, notice};
use crate::list::Pager;
use crate::resource::{Cell, Field, Form, ResourcePage, Row, Table, Values};
use crate::session::Staff;

const LIMIT: u64 = 50;
const FILTERS: [&str; 3] = ["role", "status", "q"];

fn role_options(any: bool) -> Vec<(String, String)> {
    let first = any.then(|| (String::new(), "any".to_owned()));
    first
        .into_iter()
        .chain(staff::roles().map(|r| (r.as_str().to_owned(), r.as_str().replace('_', " "))))
        .collect()
}

fn create_form() -> Form {
    Form::post("user-form", "/admin/users", "Add a staff user")
        .submit("Create user")
        .field(Field::input("email", "email", "E-mail").required())
        .field(Field::text("firstname", "First name"))
        .field(Field::text("lastname", "Last name"))
        .field(Field::select("role", "Role", role_options(false)).value("conversion_agent"))
}

async fn list_page(
    web: &Web,
    staff: &Staff,
    q: &Values,
    ctx: Ctx,
    form: Form,
) -> Result<ResourcePage, WebError> {
    let query = StaffQuery { role: q.opt("role"), status: q.opt("status"), search: q.opt("q") };
    let offset = q.offset();
    let (rows, total) = staff::list(&web.app, staff.principal(), &query, offset, LIMIT).await?;
    let pager = Pager::new("/admin/users", &q.pairs(&FILTERS), offset, LIMIT, rows.len(), total);
    let filters = Form::filters("user-filters", "/admin/users")
        .field(Field::select("role", "Role", role_options(true)).value(q.get("role")))
        .field(
            Field::select(
                "status",
                "Status",
                [("", "any"), ("active", "active"), ("disabled", "disabled")],
            )
            .value(q.get("status")),
        )
        .field(Field::input("search", "q", "Search").value(q.get("q")));
    let table =
        Table::new("users", "Staff users", &["E-mail", "Name", "Role", "Status", "Created"]).rows(
            rows.iter()
                .map(|u| {
                    Row::new(vec![
                        Cell::link(&u.email, format!("/admin/users/{}", u.id)),
                        Cell::text(&u.name),
                        Cell::text(u.role.replace('_', " ")),
                        Cell::text(&u.status),
                        Cell::text(u.created_at.format("%Y-%m-%d")),
                    ])
                })
                .collect(),
        );
    Ok(ResourcePage::new(ctx).filters(filters).table(table).pager(pager).form(form))
}

/// `GET /admin/users`.
pub async fn list(
    State(web): State<Web>,
    staff: Staff,
    Query(q): Query<Values>,
) -> Result<Response, WebError> {
    let ctx = Ctx::new(&staff, "Users and roles", "users").notice(notice(q.done()));
    list_page(&web, &staff, &q, ctx, create_form()).await?.render()
}

/// `POST /admin/users`: creates the user and shows its one-time password once.
pub async fn create(
    State(web): State<Web>,
    staff: Staff,
    Posted(f): Posted<Values>,
) -> Result<Response, WebError> {
    let input = NewStaff {
        email: f.get("email").to_owned(),
        firstname: f.opt("firstname"),
        lastname: f.opt("lastname"),
        role: f.get("role").to_owned(),
    };
    let ctx = Ctx::new(&staff, "Users and roles", "users");
    let none = Values::default();
    match staff::create(&web.app, staff.principal(), input).await {
        Ok((row, password)) => {
            let page = list_page(&web, &staff, &none, ctx, create_form()).await?;
            let label = format!("One-time password of {} (changed at the first login)", row.email);
            page.secret(label, password).render()
        }
        Err(e) if is_form_error(&e) => {
            let names = [
                ("email", "email"),
                ("firstname", "firstname"),
                ("lastname", "lastname"),
                ("role", "role"),
            ];
            let form = create_form().refused(&f, &e, &names);
            list_page(&web, &staff, &none, ctx, form).await?.render()
        }
        Err(e) => Err(e.into()),
    }
}

fn user_page(staff: &Staff, u: &StaffView, done: Option<&str>) -> ResourcePage {
    let ctx = Ctx::new(staff, format!("User {}", u.email), "users").notice(notice(done));
    let facts =
        Table::new("user-facts", "The user", &["Name", "Role", "Status", "Created"]).rows(vec![
            Row::new(vec![
                Cell::text(&u.name),
                Cell::text(u.role.replace('_', " ")),
                Cell::text(&u.status),
                Cell::text(u.created_at.format("%Y-%m-%d %H:%M")),
            ]),
        ]);
    let (label, to) = if u.disabled { ("Enable", "active") } else { ("Disable", "disabled") };
    let status = Form::post("status-form", format!("/admin/users/{}/status/{to}", u.id), "Status")
        .submit(label);
    ResourcePage::new(ctx)
        .back("/admin/users", "All users")
        .table(facts)
        .form(role_form(u))
        .form(status)
}

fn role_form(u: &StaffView) -> Form {
    Form::post("role-form", format!("/admin/users/{}/role", u.id), "Role")
        .submit("Change role")
        .field(Field::select("role", "Role", role_options(false)).value(&u.role))
}

/// `GET /admin/users/{id}`.
pub async fn page(
    State(web): State<Web>,
    staff: Staff,
    Path(id): Path<String>,
    Query(q): Query<DoneQuery>,
) -> Result<Response, WebError> {
    let u = staff::get(&web.app, staff.principal(), &id).await?;
    user_page(&staff, &u, q.done.as_deref()).render()
}

/// `POST /admin/users/{id}/role`.
pub async fn set_role(
    State(web): State<Web>,
    staff: Staff,
    Path(id): Path<String>,
    Posted(f): Posted<Values>,
) -> Result<Response, WebError> {
    match staff::set_role(&web.app, staff.principal(), &id, f.get("role")).await {
        Ok(_) => Ok(Redirect::to(&format!("/admin/users/{id}?done=role")).into_response()),
        Err(e) if is_form_error(&e) => {
            let u = staff::get(&web.app, staff.principal(), &id).await?;
            let mut page = user_page(&staff, &u, None);
            page.forms[0] = role_form(&u).refused(&f, &e, &[("role", "role")]);
            page.render()
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /admin/users/{id}/status/{to}`: `active` or `disabled`.
pub async fn set_status(
    State(web): State<Web>,
    staff: Staff,
    Path((id, to)): Path<(String, String)>,
    Posted(_): Posted<Empty>,
) -> Result<Response, WebError> {
    staff::get(&web.app, staff.principal(), &id).await?;
    let done = if to == "active" { "enabled" } else { "disabled" };
    match status::set_status(&web.app, staff.principal(), &id, &to).await {
        Ok(_) => Ok(Redirect::to(&format!("/admin/users/{id}?done={done}")).into_response()),
        Err(e) if is_form_error(&e) => {
            let u = staff::get(&web.app, staff.principal(), &id).await?;
            let mut page = user_page(&staff, &u, None);
            let status = page.forms.remove(1);
            page.form(status.refused(&Values::default(), &e, &[])).render()
        }
        Err(e) => Err(e.into()),
    }
}
