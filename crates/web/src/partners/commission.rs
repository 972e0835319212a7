//! One commission record (ReadCommissions) and its correction (ManageCommissions): the
//! corrected amount and a comment; the use case posts the difference between the corrected
//! amount and the one in force as a new ledger transfer — history is never rewritten
//! (`partners::ledger::{get, correct_typed}`).

use axum::extract::Query;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use brokercrm_app::partners::ledger::{self, RecordView};
use brokercrm_core::Permission;

use super::commissions::{HEADERS, cells};
use crate::Web;
use crate::error::WebError;
use crate::form::{Posted, is_form_error};
use crate::layout::{Ctx, notice};
use crate::resource::{Field, Form, ResourcePage, Row, Table, Values};
use crate::session::Staff;

const BASE: &str = "/admin/commissions";
const NAMES: [(&str, &str); 2] =
    [("correctedCommissionAmount", "corrected"), ("adminComments", "comments")];

fn form(r: &RecordView) -> Form {
    let amount = r.corrected_commission_amount.unwrap_or(r.commission_amount);
    Form::post("correction-form", format!("{BASE}/{}", r.id), "Correct the commission")
        .submit("Post the correction")
        .field(
            Field::text("corrected", format!("Corrected amount ({})", r.currency))
                .value(amount)
                .required()
                .hint("The difference to the amount in force is posted as a new transfer."),
        )
        .field(
            Field::input("textarea", "comments", "Comment")
                .value(r.admin_comments.clone().unwrap_or_default()),
        )
}

fn record_page(staff: &Staff, r: &RecordView, done: Option<&str>, f: Form) -> ResourcePage {
    let ctx =
        Ctx::new(staff, format!("Commission record #{}", r.id), "commissions").notice(notice(done));
    let table = Table::new("record", "The record", &HEADERS).rows(vec![Row::new(cells(r))]);
    let what = format!("Earned by: {} {}", r.action_type, r.action_details);
    ResourcePage::new(ctx).back(BASE, "Commission ledger").intro(what).table(table).form(f)
}

/// `GET /admin/commissions/{id}`.
pub async fn page(
    State(web): State<Web>,
    staff: Staff,
    Path(id): Path<i64>,
    Query(q): Query<Values>,
) -> Result<Response, WebError> {
    let r = ledger::get(&web.app, staff.principal(), id).await?;
    let can = staff.principal().role.can(Permission::ManageCommissions);
    record_page(&staff, &r, q.done(), form(&r).disabled(!can)).render()
}

/// `POST /admin/commissions/{id}`: corrects the record.
pub async fn correct(
    State(web): State<Web>,
    staff: Staff,
    Path(id): Path<i64>,
    Posted(f): Posted<Values>,
) -> Result<Response, WebError> {
    let who = staff.principal();
    match ledger::correct_typed(&web.app, who, id, f.get("corrected"), f.opt("comments")).await {
        Ok(_) => Ok(Redirect::to(&format!("{BASE}/{id}?done=corrected")).into_response()),
        Err(e) if is_form_error(&e) => {
            let r = ledger::get(&web.app, who, id).await?;
            record_page(&staff, &r, None, form(&r).refused(&f, &e, &NAMES)).render()
        }
        Err(e) => Err(e.into()),
    }
}
