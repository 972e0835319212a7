//! A lead's page ("Get lead by ID"): details, sales status, sales person, claim, comments
//! and communications, each change through the API's use case. A change redirects back with
//! a confirmation; a refused one shows the page again with the error beside its field and
//! what was typed kept.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use brokercrm_app::distribution::leads_admin::LeadEventView;
use brokercrm_app::sales::Page;
use brokercrm_app::sales::communications::CommunicationView;
use brokercrm_app::sales::leads::list::{self, SalesPerson};
use brokercrm_app::sales::leads::notes;
use brokercrm_app::sales::leads::{LeadView, status, trace, work};
use brokercrm_app::sales::sales_statuses::{self, SalesStatusView};
use brokercrm_core::Error;
use serde::Deserialize;

use crate::Web;
use crate::error::{WebError, html_status};
use crate::form::{FieldErrors, Posted, is_form_error};
use crate::layout::{Ctx, DoneQuery, notice};
use crate::session::Staff;

#[derive(Template)]
#[template(path = "lead.html")]
struct LeadPage {
    ctx: Ctx,
    lead: LeadView,
    statuses: Vec<SalesStatusView>,
    people: Vec<SalesPerson>,
    history: Vec<CommunicationView>,
    /// The routing trace, when the lead came through distribution and the role may read it.
    trace: Option<Vec<LeadEventView>>,
    errors: FieldErrors,
    comment: String,
}

impl LeadPage {
    fn is_status(&self, id: &i64) -> bool {
        self.lead.sales_status_id == Some(*id)
    }
    fn is_person(&self, id: &str) -> bool {
        self.lead.sales_person_id.as_deref() == Some(id)
    }
}

async fn render(
    web: &Web,
    staff: &Staff,
    id: &str,
    done: Option<&str>,
    errors: FieldErrors,
    comment: String,
    code: StatusCode,
) -> Result<Response, WebError> {
    let who = staff.principal();
    let lead = list::get(&web.app, who, id).await?;
    let statuses = sales_statuses::list(&web.app, who).await.unwrap_or_default();
    let people = list::sales_people(&web.app, who).await.unwrap_or_default();
    let (history, _) =
        notes::list_communications(&web.app, who, id, Page::new(Some(50), Some(0))?).await?;
    let trace = trace::routing_trace(&web.app, who, id).await?;
    let title = if lead.name.is_empty() { "Lead".to_owned() } else { lead.name.clone() };
    html_status(
        code,
        &LeadPage {
            ctx: Ctx::new(staff, title, "leads").notice(notice(done)),
            lead,
            statuses,
            people,
            history,
            trace,
            errors,
            comment,
        },
    )
}

/// `GET /admin/leads/{id}`.
pub async fn page(
    State(web): State<Web>,
    staff: Staff,
    Path(id): Path<String>,
    Query(q): Query<DoneQuery>,
) -> Result<Response, WebError> {
    render(
        &web,
        &staff,
        &id,
        q.done.as_deref(),
        FieldErrors::default(),
        String::new(),
        StatusCode::OK,
    )
    .await
}

/// After a change: back to the page with a confirmation, or the page again with the error.
async fn after<T>(
    web: &Web,
    staff: &Staff,
    id: &str,
    r: Result<T, Error>,
    done: &str,
    fields: &[(&str, &str)],
    comment: String,
) -> Result<Response, WebError> {
    match r {
        Ok(_) => Ok(Redirect::to(&format!("/admin/leads/{id}?done={done}")).into_response()),
        Err(e) if is_form_error(&e) => {
            let errors = FieldErrors::from_error(&e, fields);
            render(web, staff, id, None, errors, comment, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct CommentForm {
    #[serde(default)]
    comment: String,
}

/// `POST /admin/leads/{id}/comment`.
pub async fn comment(
    State(web): State<Web>,
    staff: Staff,
    Path(id): Path<String>,
    Posted(f): Posted<CommentForm>,
) -> Result<Response, WebError> {
    let r = notes::create_comment(&web.app, staff.principal(), &id, Some(&f.comment)).await;
    after(&web, &staff, &id, r, "comment", &[("comment", "comment")], f.comment).await
}

#[derive(Deserialize)]
pub struct StatusForm {
    #[serde(default)]
    status: String,
}

/// `POST /admin/leads/{id}/status`.
pub async fn status(
    State(web): State<Web>,
    staff: Staff,
    Path(id): Path<String>,
    Posted(f): Posted<StatusForm>,
) -> Result<Response, WebError> {
    let r = match f.status.trim() {
        "" => Ok(None),
        s => s
            .parse::<i64>()
            .map(Some)
            .map_err(|_| Error::field("salesStatusId", "unknown sales status")),
    };
    let r = match r {
        Ok(s) => status::set_status(&web.app, staff.principal(), &id, s).await,
        Err(e) => Err(e),
    };
    after(&web, &staff, &id, r, "status", &[("salesStatusId", "status")], String::new()).await
}

#[derive(Deserialize)]
pub struct AssignForm {
    #[serde(default)]
    person: String,
}

/// `POST /admin/leads/{id}/assign`.
pub async fn assign(
    State(web): State<Web>,
    staff: Staff,
    Path(id): Path<String>,
    Posted(f): Posted<AssignForm>,
) -> Result<Response, WebError> {
    let r = work::assign(&web.app, staff.principal(), &id, Some(&f.person)).await;
    after(&web, &staff, &id, r, "assign", &[("salesPersonId", "person")], String::new()).await
}

/// `POST /admin/leads/{id}/claim`.
pub async fn claim(
    State(web): State<Web>,
    staff: Staff,
    Path(id): Path<String>,
    Posted(_): Posted<crate::form::Empty>,
) -> Result<Response, WebError> {
    let r = work::claim(&web.app, staff.principal(), &id).await;
    after(&web, &staff, &id, r, "claim", &[], String::new()).await
}
