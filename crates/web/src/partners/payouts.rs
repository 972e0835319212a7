//! The payout queue (ReadCommissions): introducers' payout requests by status, pending first
//! (the default view), each with its introducer, wallet, amount and decision; approve (the
//! reserved amount is posted into the wallet) or reject with a reason (the reservation is
//! voided) through the API's use cases (ManageCommissions). Every decision form carries an
//! idempotency key (`once`), like the withdrawal queue.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use brokercrm_app::partners::ledger::Page;
use brokercrm_app::partners::payouts::{self, PayoutView};
use brokercrm_core::identity::auth::Permission;
use serde::Deserialize;

use crate::Web;
use crate::error::{WebError, html_status};
use crate::form::{FieldErrors, Posted, is_form_error};
use crate::layout::{Ctx, notice};
use crate::list::Pager;
use crate::session::Staff;

const LIMIT: u64 = 50;
const PATH: &str = "/admin/payouts";

#[derive(Deserialize, Default)]
pub struct QueueQuery {
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    offset: u64,
    #[serde(default)]
    done: Option<String>,
}

/// A row of the queue: the request and a fresh idempotency key for its form.
pub struct Row {
    pub p: PayoutView,
    pub key: String,
}

#[derive(Template)]
#[template(path = "payouts.html")]
struct QueuePage {
    ctx: Ctx,
    status: String,
    rows: Vec<Row>,
    pager: Pager,
    can_decide: bool,
    errors: FieldErrors,
    /// The request the errors belong to, and the reason typed there.
    failed: Option<(i64, String)>,
}

impl QueuePage {
    fn is_status(&self, s: &str) -> bool {
        self.status == s
    }
    fn failed_on(&self, id: &i64) -> bool {
        self.failed.as_ref().is_some_and(|(f, _)| f == id)
    }
    fn typed_reason(&self) -> &str {
        self.failed.as_ref().map(|(_, r)| r.as_str()).unwrap_or("")
    }
}

async fn render(
    web: &Web,
    staff: &Staff,
    q: QueueQuery,
    errors: FieldErrors,
    failed: Option<(i64, String)>,
    code: StatusCode,
) -> Result<Response, WebError> {
    let who = staff.principal();
    let status = q.status.clone().filter(|s| !s.is_empty()).unwrap_or_else(|| "pending".into());
    let statuses = match status.as_str() {
        "all" => Vec::new(),
        s => payouts::parse_statuses(&[s.to_owned()])?,
    };
    let page = Page { offset: q.offset, limit: LIMIT, newest_first: status != "pending" };
    let (list, total) = payouts::list(&web.app, who, page, statuses).await?;
    let rows: Vec<Row> = list.into_iter().map(|p| Row { p, key: crate::once::new_key() }).collect();
    let query = vec![("status".to_owned(), status.clone())];
    let pager = Pager::new(PATH, &query, q.offset, LIMIT, rows.len(), total);
    let page = QueuePage {
        ctx: Ctx::new(staff, "Payouts", "payouts").notice(notice(q.done.as_deref())),
        status,
        rows,
        pager,
        can_decide: who.role.can(Permission::ManageCommissions),
        errors,
        failed,
    };
    html_status(code, &page)
}

/// `GET /admin/payouts`: pending requests, oldest first; other statuses newest first.
pub async fn page(
    State(web): State<Web>,
    staff: Staff,
    Query(q): Query<QueueQuery>,
) -> Result<Response, WebError> {
    render(&web, &staff, q, FieldErrors::default(), None, StatusCode::OK).await
}

#[derive(Deserialize)]
pub struct DecisionForm {
    #[serde(default)]
    key: String,
    #[serde(default)]
    reason: String,
}

async fn decide(
    web: Web,
    staff: Staff,
    id: i64,
    f: DecisionForm,
    approve: bool,
) -> Result<Response, WebError> {
    let who = staff.principal().clone();
    let r = crate::once::run(who.user_id, &f.key, || async {
        if approve {
            payouts::approve(&web.app, &who, id).await?;
            Ok(format!("{PATH}?done=paid"))
        } else {
            payouts::reject(&web.app, &who, id, Some(f.reason.clone())).await?;
            Ok(format!("{PATH}?done=declined"))
        }
    })
    .await;
    match r {
        Ok(to) => Ok(Redirect::to(&to).into_response()),
        Err(e) if is_form_error(&e) => {
            let errors = FieldErrors::from_error(&e, &[("rejectReason", "reason")]);
            let failed = Some((id, f.reason));
            let code = StatusCode::UNPROCESSABLE_ENTITY;
            render(&web, &staff, QueueQuery::default(), errors, failed, code).await
        }
        Err(e) => Err(WebError::App(e)),
    }
}

/// `POST /admin/payouts/{id}/approve`.
pub async fn approve(
    State(web): State<Web>,
    staff: Staff,
    Path(id): Path<i64>,
    Posted(f): Posted<DecisionForm>,
) -> Result<Response, WebError> {
    decide(web, staff, id, f, true).await
}

/// `POST /admin/payouts/{id}/reject`.
pub async fn reject(
    State(web): State<Web>,
    staff: Staff,
    Path(id): Path<i64>,
    Posted(f): Posted<DecisionForm>,
) -> Result<Response, WebError> {
    decide(web, staff, id, f, false).await
}
