//! A customer's KYC page (WorkCustomers, in scope): status and reviewer, the SumSub state,
//! the documents — each opened only through a short-lived single-use file token
//! (`onboarding::file_tokens::issue`, then `GET /api/files/{token}`), never served here — and
//! the reviewer's decisions approve, revoke and reset (ReviewKyc;
//! `sales::customers::kyc::decide`, which publishes `KycDecided`) and reject, for good or
//! asking for a new attempt, with a reason (`kyc::reject`; a missing reason is shown beside
//! the field and nothing changes).

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use brokercrm_app::onboarding::file_tokens;
use brokercrm_app::onboarding::kyc::SumsubState;
use brokercrm_app::sales::customers::documents::{self, DocumentView};
use brokercrm_app::sales::customers::{self, CustomerView, kyc};
use brokercrm_core::sales::customers::KycAction;
use brokercrm_core::{Error, Permission};

use crate::Web;
use crate::error::{WebError, html_status};
use crate::form::{Empty, FieldErrors, Posted};
use crate::layout::{Ctx, notice};
use crate::resource::Values;
use crate::session::Staff;

#[derive(Template)]
#[template(path = "kyc.html")]
struct KycPage {
    ctx: Ctx,
    c: CustomerView,
    sumsub: Option<SumsubState>,
    documents: Vec<DocumentView>,
    /// The decisions the status allows, for a reviewer: `(path, label, question)`.
    decisions: Vec<(&'static str, &'static str, String)>,
    /// Whether the reviewer may reject (for good or asking for a retry) from this status.
    can_reject: bool,
    /// The reason typed with a refused rejection, and its error.
    reason: String,
    reason_error: Option<String>,
}

/// The decisions a reviewer may take from `status` (the use case refuses the others too).
fn decisions(status: &str, name: &str) -> Vec<(&'static str, &'static str, String)> {
    let mut out = Vec::new();
    if status != "APPROVED" {
        out.push(("approve", "Approve", format!("Approve the KYC of {name}?")));
    }
    if status == "APPROVED" {
        out.push(("revoke", "Revoke", format!("Revoke the KYC approval of {name}?")));
    }
    if status != "NONE" {
        out.push(("reset", "Reset", format!("Reset the KYC of {name}? They start again.")));
    }
    out
}

/// The page; `refused` is a rejection form sent back with its reason and error.
async fn render(
    web: &Web,
    staff: &Staff,
    id: &str,
    done: Option<&str>,
    refused: Option<(String, String)>,
) -> Result<Response, WebError> {
    let who = staff.principal();
    let c = customers::get(&web.app, who, id).await?;
    let sumsub = kyc::sumsub(&web.app, who, id).await?;
    let documents = documents::list(&web.app, who, id).await?;
    let reviewer = who.role.can(Permission::ReviewKyc);
    let decisions = if reviewer { decisions(&c.kyc_status, &c.name) } else { Vec::new() };
    let can_reject = reviewer && !["APPROVED", "REJECTED"].contains(&c.kyc_status.as_str());
    let ctx = Ctx::new(staff, format!("KYC of {}", c.name), "kyc").notice(notice(done));
    let status = if refused.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    let (reason, reason_error) = match refused {
        Some((typed, error)) => (typed, Some(error)),
        None => (String::new(), None),
    };
    let page = KycPage { ctx, c, sumsub, documents, decisions, can_reject, reason, reason_error };
    html_status(status, &page)
}

/// `GET /admin/kyc/{id}`.
pub async fn page(
    State(web): State<Web>,
    staff: Staff,
    Path(id): Path<String>,
    Query(q): Query<Values>,
) -> Result<Response, WebError> {
    render(&web, &staff, &id, q.done(), None).await
}

#[derive(serde::Deserialize)]
pub struct RejectForm {
    #[serde(default)]
    reason: String,
    /// `retry` asks for a new attempt; anything else rejects for good.
    #[serde(default)]
    outcome: String,
}

/// `POST /admin/kyc/{id}/reject`: rejects for good, or asks for a new attempt, with a reason.
pub async fn reject(
    State(web): State<Web>,
    staff: Staff,
    Path(id): Path<String>,
    Posted(f): Posted<RejectForm>,
) -> Result<Response, WebError> {
    let retry = f.outcome == "retry";
    match kyc::reject(&web.app, staff.principal(), &id, retry, &f.reason).await {
        Ok(_) => {
            let done = if retry { "kyc-retry" } else { "kyc-rejected" };
            Ok(Redirect::to(&format!("/admin/kyc/{id}?done={done}")).into_response())
        }
        Err(e @ Error::Validation(_)) => {
            let errors = FieldErrors::from_error(&e, &[("reason", "reason")]);
            let why = errors.get("reason").unwrap_or("is not valid").to_owned();
            render(&web, &staff, &id, None, Some((f.reason, why))).await
        }
        Err(e) => Err(e.into()),
    }
}

async fn decide(
    web: &Web,
    staff: &Staff,
    id: &str,
    action: KycAction,
) -> Result<Response, WebError> {
    kyc::decide(&web.app, staff.principal(), id, action).await?;
    let done = match action {
        KycAction::Approve => "kyc-approved",
        KycAction::Revoke => "kyc-revoked",
        KycAction::Reset => "kyc-reset",
        KycAction::Reject => "kyc-rejected",
        KycAction::AskRetry => "kyc-retry",
    };
    Ok(Redirect::to(&format!("/admin/kyc/{id}?done={done}")).into_response())
}

/// `POST /admin/kyc/{id}/approve`.
pub async fn approve(
    State(web): State<Web>,
    staff: Staff,
    Path(id): Path<String>,
    Posted(_): Posted<Empty>,
) -> Result<Response, WebError> {
    decide(&web, &staff, &id, KycAction::Approve).await
}

/// `POST /admin/kyc/{id}/revoke`.
pub async fn revoke(
    State(web): State<Web>,
    staff: Staff,
    Path(id): Path<String>,
    Posted(_): Posted<Empty>,
) -> Result<Response, WebError> {
    decide(&web, &staff, &id, KycAction::Revoke).await
}

/// `POST /admin/kyc/{id}/reset`.
pub async fn reset(
    State(web): State<Web>,
    staff: Staff,
    Path(id): Path<String>,
    Posted(_): Posted<Empty>,
) -> Result<Response, WebError> {
    decide(&web, &staff, &id, KycAction::Reset).await
}

/// `POST /admin/kyc/{id}/documents/{doc}`: a file token for the document, then straight to
/// "Get file by token" (the token is spent there; the file comes as an attachment).
pub async fn open(
    State(web): State<Web>,
    staff: Staff,
    Path((id, doc)): Path<(String, String)>,
    Posted(_): Posted<Empty>,
) -> Result<Response, WebError> {
    // The document must be this customer's (a token for another is not handed out here).
    let listed = documents::list(&web.app, staff.principal(), &id).await?;
    if !listed.iter().any(|d| d.id == doc) {
        return Err(Error::NotFound("document").into());
    }
    let (token, _) = file_tokens::issue(&web.app, staff.principal(), &doc).await?;
    Ok(Redirect::to(&format!("/api/files/{token}")).into_response())
}
