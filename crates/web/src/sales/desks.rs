//! Sales desks and statuses (ReadSalesSetup; changes ManageSalesSetup): the desks with their
//! sales people, a desk created, renamed, staffed or deleted; the statuses with their colour,
//! one added or changed (`app::sales::{sales_desks, sales_statuses}`).

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use brokercrm_app::sales::Page;
use brokercrm_app::sales::leads::list::sales_people;
use brokercrm_app::sales::sales_desks::{self, SalesDeskView};
use brokercrm_app::sales::sales_statuses::{self, SalesStatusView};
use brokercrm_core::Permission;

use crate::Web;
use crate::error::WebError;
use crate::form::{Empty, Posted, is_form_error};
use crate::layout::{Ctx, notice};
use crate::resource::{Action, Cell, Field, Form, ResourcePage, Row, Table, Values};
use crate::session::Staff;

fn desk_form(
    action: String,
    legend: &str,
    people: Vec<(String, String)>,
    d: Option<&SalesDeskView>,
) -> Form {
    let chosen =
        d.map(|d| d.sales_people.iter().map(|p| p.id.clone()).collect()).unwrap_or_default();
    Form::post("desk-form", action, legend)
        .field(
            Field::text("name", "Name").value(d.map(|d| d.name.as_str()).unwrap_or("")).required(),
        )
        .field(Field::checks("people", "Sales people", people, chosen))
}

fn status_form(s: Option<&SalesStatusView>) -> Form {
    let (action, legend) = match s {
        Some(s) => {
            (format!("/admin/sales-setup/statuses/{}", s.id), format!("Change status {}", s.status))
        }
        None => ("/admin/sales-setup/statuses".to_owned(), "Add a status".to_owned()),
    };
    Form::post("status-form", action, legend)
        .field(
            Field::text("status", "Status")
                .value(s.map(|s| s.status.as_str()).unwrap_or(""))
                .required(),
        )
        .field(
            Field::input("color", "color", "Colour")
                .value(s.map(|s| s.color.as_str()).unwrap_or("#9e9e9e")),
        )
}

async fn people(web: &Web, staff: &Staff) -> Result<Vec<(String, String)>, WebError> {
    let all = sales_people(&web.app, staff.principal()).await?;
    Ok(all
        .into_iter()
        .map(|p| (p.person.id, format!("{} ({})", p.person.name, p.person.email)))
        .collect())
}

/// The setup page with `desk` and `status` as the forms at the bottom.
async fn setup(
    web: &Web,
    staff: &Staff,
    done: Option<&str>,
    desk: Option<Form>,
    status: Option<Form>,
) -> Result<ResourcePage, WebError> {
    let who = staff.principal();
    let can = who.role.can(Permission::ManageSalesSetup);
    let desks = sales_desks::list(&web.app, who, Page::new(Some(200), Some(0))?).await?.desks;
    let statuses = sales_statuses::list(&web.app, who).await?;
    let desk_rows = desks.iter().map(|d| {
        let names: Vec<&str> = d.sales_people.iter().map(|p| p.name.as_str()).collect();
        let r = Row::new(vec![
            Cell::link(&d.name, format!("/admin/sales-setup/desks/{}", d.id)),
            Cell::text(names.join(", ")),
        ]);
        if !can {
            return r;
        }
        let del = Action::post("Delete", format!("/admin/sales-setup/desks/{}/delete", d.id))
            .confirm(format!("Delete the desk {}?", d.name));
        r.action(del)
    });
    let status_rows = statuses.iter().map(|s| {
        let name = if can {
            Cell::link(&s.status, format!("/admin/sales-setup/statuses/{}", s.id))
        } else {
            Cell::text(&s.status)
        };
        Row::new(vec![name, Cell::code(&s.color)])
    });
    let mut page = ResourcePage::new(
        Ctx::new(staff, "Sales desks and statuses", "sales-setup").notice(notice(done)),
    )
    .table(Table::new("desks", "Sales desks", &["Desk", "Sales people"]).rows(desk_rows.collect()))
    .table(
        Table::new("statuses", "Sales statuses", &["Status", "Colour"]).rows(status_rows.collect()),
    );
    if can {
        let desk = match desk {
            Some(f) => f,
            None => desk_form(
                "/admin/sales-setup/desks".into(),
                "Add a desk",
                people(web, staff).await?,
                None,
            ),
        };
        page = page.form(desk).form(status.unwrap_or_else(|| status_form(None)));
    }
    Ok(page)
}

/// `GET /admin/sales-setup`.
pub async fn page(
    State(web): State<Web>,
    staff: Staff,
    Query(q): Query<Values>,
) -> Result<Response, WebError> {
    setup(&web, &staff, q.done(), None, None).await?.render()
}

const DESK_FIELDS: [(&str, &str); 2] = [("name", "name"), ("salesPeople", "people")];

/// `POST /admin/sales-setup/desks`.
pub async fn create_desk(
    State(web): State<Web>,
    staff: Staff,
    Posted(f): Posted<Values>,
) -> Result<Response, WebError> {
    let people_ids = f.all("people");
    match sales_desks::create(&web.app, staff.principal(), Some(f.get("name")), Some(&people_ids))
        .await
    {
        Ok(_) => Ok(Redirect::to("/admin/sales-setup?done=created").into_response()),
        Err(e) if is_form_error(&e) => {
            let form = desk_form(
                "/admin/sales-setup/desks".into(),
                "Add a desk",
                people(&web, &staff).await?,
                None,
            )
            .refused(&f, &e, &DESK_FIELDS);
            setup(&web, &staff, None, Some(form), None).await?.render()
        }
        Err(e) => Err(e.into()),
    }
}

/// `GET /admin/sales-setup/desks/{id}`.
pub async fn desk(
    State(web): State<Web>,
    staff: Staff,
    Path(id): Path<String>,
    Query(q): Query<Values>,
) -> Result<Response, WebError> {
    let d = sales_desks::get(&web.app, staff.principal(), &id).await?;
    let can = staff.principal().role.can(Permission::ManageSalesSetup);
    let form = desk_form(
        format!("/admin/sales-setup/desks/{id}"),
        "Desk",
        people(&web, &staff).await?,
        Some(&d),
    )
    .disabled(!can);
    let ctx = Ctx::new(&staff, format!("Desk {}", d.name), "sales-setup").notice(notice(q.done()));
    ResourcePage::new(ctx).back("/admin/sales-setup", "Desks and statuses").form(form).render()
}

/// `POST /admin/sales-setup/desks/{id}`: name and the full list of its sales people.
pub async fn save_desk(
    State(web): State<Web>,
    staff: Staff,
    Path(id): Path<String>,
    Posted(f): Posted<Values>,
) -> Result<Response, WebError> {
    let people_ids = f.all("people");
    match sales_desks::update(
        &web.app,
        staff.principal(),
        &id,
        Some(f.get("name")),
        Some(&people_ids),
    )
    .await
    {
        Ok(_) => {
            Ok(Redirect::to(&format!("/admin/sales-setup/desks/{id}?done=saved")).into_response())
        }
        Err(e) if is_form_error(&e) => {
            let d = sales_desks::get(&web.app, staff.principal(), &id).await?;
            let form = desk_form(
                format!("/admin/sales-setup/desks/{id}"),
                "Desk",
                people(&web, &staff).await?,
                Some(&d),
            )
            .refused(&f, &e, &DESK_FIELDS);
            let ctx = Ctx::new(&staff, format!("Desk {}", d.name), "sales-setup");
            ResourcePage::new(ctx)
                .back("/admin/sales-setup", "Desks and statuses")
                .form(form)
                .render()
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /admin/sales-setup/desks/{id}/delete`.
pub async fn delete_desk(
    State(web): State<Web>,
    staff: Staff,
    Path(id): Path<String>,
    Posted(_): Posted<Empty>,
) -> Result<Response, WebError> {
    sales_desks::delete(&web.app, staff.principal(), &id).await?;
    Ok(Redirect::to("/admin/sales-setup?done=deleted").into_response())
}

const STATUS_FIELDS: [(&str, &str); 2] = [("status", "status"), ("color", "color")];

/// `POST /admin/sales-setup/statuses`.
pub async fn create_status(
    State(web): State<Web>,
    staff: Staff,
    Posted(f): Posted<Values>,
) -> Result<Response, WebError> {
    match sales_statuses::create(
        &web.app,
        staff.principal(),
        Some(f.get("status")),
        f.opt("color").as_deref(),
    )
    .await
    {
        Ok(_) => Ok(Redirect::to("/admin/sales-setup?done=created").into_response()),
        Err(e) if is_form_error(&e) => {
            let form = status_form(None).refused(&f, &e, &STATUS_FIELDS);
            setup(&web, &staff, None, None, Some(form)).await?.render()
        }
        Err(e) => Err(e.into()),
    }
}

/// `GET /admin/sales-setup/statuses/{id}`.
pub async fn status(
    State(web): State<Web>,
    staff: Staff,
    Path(id): Path<i64>,
    Query(q): Query<Values>,
) -> Result<Response, WebError> {
    let s =
        sales_statuses::list(&web.app, staff.principal()).await?.into_iter().find(|s| s.id == id);
    let s = s.ok_or(brokercrm_core::Error::NotFound("sales status"))?;
    let can = staff.principal().role.can(Permission::ManageSalesSetup);
    let ctx =
        Ctx::new(&staff, format!("Status {}", s.status), "sales-setup").notice(notice(q.done()));
    ResourcePage::new(ctx)
        .back("/admin/sales-setup", "Desks and statuses")
        .form(status_form(Some(&s)).disabled(!can))
        .render()
}

/// `POST /admin/sales-setup/statuses/{id}`.
pub async fn save_status(
    State(web): State<Web>,
    staff: Staff,
    Path(id): Path<i64>,
    Posted(f): Posted<Values>,
) -> Result<Response, WebError> {
    let who = staff.principal();
    match sales_statuses::update(
        &web.app,
        who,
        id,
        Some(f.get("status")),
        f.opt("color").as_deref(),
    )
    .await
    {
        Ok(_) => {
            Ok(Redirect::to(&format!("/admin/sales-setup/statuses/{id}?done=saved"))
                .into_response())
        }
        Err(e) if is_form_error(&e) => {
            let s = sales_statuses::list(&web.app, who).await?.into_iter().find(|s| s.id == id);
            let s = s.ok_or(brokercrm_core::Error::NotFound("sales status"))?;
            let ctx = Ctx::new(&staff, format!("Status {}", s.status), "sales-setup");
            let form = status_form(Some(&s)).refused(&f, &e, &STATUS_FIELDS);
            ResourcePage::new(ctx)
                .back("/admin/sales-setup", "Desks and statuses")
                .form(form)
                .render()
        }
        Err(e) => Err(e.into()),
    }
}
