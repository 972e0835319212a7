//! E-mail templates (ManageEmailTemplates): every template with its trigger, whether it is
//! enabled and its subject, each linked to its page and deletable; a link to a new one
//! (`messaging::templates::{list, delete}`).

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use brokercrm_app::messaging::templates;

use crate::Web;
use crate::error::WebError;
use crate::form::{Empty, Posted};
use crate::layout::{Ctx, notice};
use crate::resource::{Action, Cell, ResourcePage, Row, Table, Values};
use crate::session::Staff;

pub const BASE: &str = "/admin/email-templates";

/// `GET /admin/email-templates`.
pub async fn list(
    State(web): State<Web>,
    staff: Staff,
    Query(q): Query<Values>,
) -> Result<Response, WebError> {
    let all = templates::list(&web.app, staff.principal()).await?;
    let rows = all.iter().map(|t| {
        Row::new(vec![
            Cell::link(&t.title, format!("{BASE}/{}", t.id)),
            Cell::code(&t.trigger),
            Cell::yes_no(t.enabled),
            Cell::text(&t.subject),
            Cell::text(t.updated_at.format("%Y-%m-%d %H:%M")),
        ])
        .action(
            Action::post("Delete", format!("{BASE}/{}/delete", t.id))
                .confirm(format!("Delete the template '{}'?", t.title)),
        )
    });
    let headers = ["Title", "Trigger", "Enabled", "Subject", "Updated"];
    let mut table = Table::new("email-templates", "E-mail templates", &headers);
    table = table.rows(rows.collect());
    table.empty = "No e-mail template yet.";
    let ctx = Ctx::new(&staff, "E-mail templates", "email-templates").notice(notice(q.done()));
    ResourcePage::new(ctx)
        .intro("Each enabled template is sent when its trigger happens to a customer its conditions match.")
        .link("New template", format!("{BASE}/new"))
        .table(table)
        .render()
}

/// `POST /admin/email-templates/{id}/delete`.
pub async fn delete(
    State(web): State<Web>,
    staff: Staff,
    Path(id): Path<String>,
    Posted(_): Posted<Empty>,
) -> Result<Response, WebError> {
    templates::delete(&web.app, staff.principal(), &id).await?;
    Ok(Redirect::to(&format!("{BASE}?done=deleted")).into_response())
}
