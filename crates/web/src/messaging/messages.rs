//! Messages (SendMessages): the latest sends to all customers or a trading group with their
//! progress, a message to one customer's inbox and one to every customer's (the fan-out job)
//! — `app::messaging::{send::to_customer, fanout::{to_all, list}}`.

use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use brokercrm_app::messaging::{fanout, send};

use crate::Web;
use crate::error::WebError;
use crate::form::{Posted, is_form_error};
use crate::layout::{Ctx, notice};
use crate::resource::{Cell, Field, Form, ResourcePage, Row, Table, Values};
use crate::session::Staff;

fn one_form() -> Form {
    Form::post("one-form", "/admin/messages/customer", "Send to one customer")
        .submit("Send")
        .field(Field::text("customer", "Customer ID").required().hint("The customer's public id"))
        .field(Field::text("subject", "Subject").required())
        .field(Field::input("textarea", "text", "Message").required())
}

fn all_form() -> Form {
    Form::post("all-form", "/admin/messages/all", "Send to all customers")
        .submit("Send to everyone")
        .field(Field::text("subject", "Subject").required())
        .field(Field::input("textarea", "message", "Message").required())
}

async fn messages_page(
    web: &Web,
    staff: &Staff,
    done: Option<&str>,
    one: Option<Form>,
    all: Option<Form>,
) -> Result<ResourcePage, WebError> {
    let sent = fanout::list(&web.app, staff.principal()).await?;
    let rows = sent.iter().map(|g| {
        Row::new(vec![
            Cell::text(&g.subject),
            Cell::text(&g.target),
            Cell::text(g.recipients),
            Cell::text(&g.status),
            Cell::text(g.created_at.format("%Y-%m-%d %H:%M")),
        ])
    });
    let mut table = Table::new(
        "group-messages",
        "Sent to all customers or a group",
        &["Subject", "To", "Recipients", "Status", "Sent"],
    )
    .rows(rows.collect());
    table.empty = "No message to all customers yet.";
    Ok(ResourcePage::new(Ctx::new(staff, "Messages", "messages").notice(notice(done)))
        .intro("Messages land in the customers' inbox (the client portal's messages).")
        .table(table)
        .form(one.unwrap_or_else(one_form))
        .form(all.unwrap_or_else(all_form)))
}

/// `GET /admin/messages`.
pub async fn page(
    State(web): State<Web>,
    staff: Staff,
    Query(q): Query<Values>,
) -> Result<Response, WebError> {
    messages_page(&web, &staff, q.done(), None, None).await?.render()
}

/// `POST /admin/messages/customer`.
pub async fn send_to_customer(
    State(web): State<Web>,
    staff: Staff,
    Posted(f): Posted<Values>,
) -> Result<Response, WebError> {
    let r = send::to_customer(
        &web.app,
        staff.principal(),
        f.get("customer"),
        f.get("subject"),
        f.get("text"),
        None,
    )
    .await;
    match r {
        Ok(_) => Ok(Redirect::to("/admin/messages?done=sent").into_response()),
        Err(brokercrm_core::Error::NotFound(_)) => {
            let e = brokercrm_core::Error::field("customer", "no such customer");
            let form = one_form().refused(&f, &e, &[]);
            messages_page(&web, &staff, None, Some(form), None).await?.render()
        }
        Err(e) if is_form_error(&e) => {
            let form = one_form().refused(&f, &e, &[]);
            messages_page(&web, &staff, None, Some(form), None).await?.render()
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /admin/messages/all`: queues the fan-out.
pub async fn send_to_all(
    State(web): State<Web>,
    staff: Staff,
    Posted(f): Posted<Values>,
) -> Result<Response, WebError> {
    match fanout::to_all(&web.app, staff.principal(), f.get("subject"), f.get("message")).await {
        Ok(_) => Ok(Redirect::to("/admin/messages?done=queued").into_response()),
        Err(e) if is_form_error(&e) => {
            let form = all_form().refused(&f, &e, &[]);
            messages_page(&web, &staff, None, None, Some(form)).await?.render()
        }
        Err(e) => Err(e.into()),
    }
}
