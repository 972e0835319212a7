//! The withdrawal queue: withdrawals by status (pending first), each with its wallet's
//! balance, and approve (optionally a smaller amount) / reject / refund through the API's use
//! cases (ManageTransactions). Every decision form carries an idempotency key (`once`).

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use brokercrm_app::money::transactions::list::{self, FilterInput};
use brokercrm_app::money::transactions::views::TransactionView;
use brokercrm_app::money::transactions::withdrawals;
use brokercrm_app::money::wallets::admin as wallets;
use brokercrm_core::Money;
use brokercrm_core::identity::auth::Permission;
use serde::Deserialize;

use crate::Web;
use crate::error::{WebError, html_status};
use crate::form::{FieldErrors, Posted, is_form_error};
use crate::layout::{Ctx, notice};
use crate::list::Pager;
use crate::session::Staff;

const LIMIT: u64 = 50;

#[derive(Deserialize, Default)]
pub struct QueueQuery {
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    offset: u64,
    #[serde(default)]
    done: Option<String>,
}

/// A row of the queue.
pub struct Row {
    pub t: TransactionView,
    /// The wallet's balance now.
    pub balance: Option<Money>,
    /// A fresh idempotency key for this row's forms.
    pub key: String,
}

#[derive(Template)]
#[template(path = "withdrawals.html")]
struct QueuePage {
    ctx: Ctx,
    status: String,
    rows: Vec<Row>,
    pager: Pager,
    can_decide: bool,
    errors: FieldErrors,
    /// The row the errors belong to, and what was typed there.
    failed: Option<(String, String, String)>,
}

impl QueuePage {
    fn is_status(&self, s: &str) -> bool {
        self.status == s
    }
    fn failed_on(&self, id: &str) -> bool {
        self.failed.as_ref().is_some_and(|(f, _, _)| f == id)
    }
    fn typed_amount(&self) -> &str {
        self.failed.as_ref().map(|(_, a, _)| a.as_str()).unwrap_or("")
    }
    fn typed_comment(&self) -> &str {
        self.failed.as_ref().map(|(_, _, c)| c.as_str()).unwrap_or("")
    }
}

async fn render(
    web: &Web,
    staff: &Staff,
    q: QueueQuery,
    errors: FieldErrors,
    failed: Option<(String, String, String)>,
    code: StatusCode,
) -> Result<Response, WebError> {
    let who = staff.principal();
    let status = q.status.clone().filter(|s| !s.is_empty()).unwrap_or_else(|| "pending".into());
    // The list filters on the ledger state: a pending withdrawal is a pending transfer, an
    // approved (or later refunded) one a posted transfer, a rejected one a voided transfer.
    let state = match status.as_str() {
        "approved" => Some("posted"),
        "rejected" => Some("voided"),
        "all" => None,
        _ => Some("pending"),
    };
    let f = FilterInput {
        kind: Some("WITHDRAWAL".into()),
        status: state.map(str::to_owned),
        ..Default::default()
    };
    let (ts, total) = list::list(&web.app, who, &f, LIMIT, q.offset).await?;
    let mut balances: HashMap<i64, Option<Money>> = HashMap::new();
    let mut rows = Vec::with_capacity(ts.len());
    for t in ts {
        let balance = match t.wallet_id {
            Some(w) => match balances.get(&w) {
                Some(b) => *b,
                None => {
                    let b = wallets::get(&web.app, who, w)
                        .await
                        .ok()
                        .and_then(|v| v.money)
                        .map(|m| m.balance);
                    balances.insert(w, b);
                    b
                }
            },
            None => None,
        };
        rows.push(Row { t, balance, key: crate::once::new_key() });
    }
    let query = vec![("status".to_owned(), status.clone())];
    let pager = Pager::new("/admin/withdrawals", &query, q.offset, LIMIT, rows.len(), total);
    let page = QueuePage {
        ctx: Ctx::new(staff, "Withdrawals", "withdrawals").notice(notice(q.done.as_deref())),
        status,
        rows,
        pager,
        can_decide: who.role.can(Permission::ManageTransactions),
        errors,
        failed,
    };
    html_status(code, &page)
}

/// `GET /admin/withdrawals`.
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
    amount: String,
    #[serde(default)]
    comment: String,
}

fn some(s: &str) -> Option<&str> {
    Some(s.trim()).filter(|s| !s.is_empty())
}

async fn decide(
    web: Web,
    staff: Staff,
    id: String,
    f: DecisionForm,
    done: &'static str,
) -> Result<Response, WebError> {
    let who = staff.principal().clone();
    let r = crate::once::run(who.user_id, &f.key, || async {
        let app = &web.app;
        match done {
            "approved" => {
                let amount =
                    some(&f.amount).map(|a| Money::parse("changedAmount", a)).transpose()?;
                withdrawals::approve(app, &who, &id, some(&f.comment), amount).await?;
            }
            "rejected" => {
                withdrawals::reject(app, &who, &id, some(&f.comment)).await?;
            }
            _ => {
                withdrawals::refund(app, &who, &id).await?;
            }
        }
        Ok(format!("/admin/withdrawals?done={done}"))
    })
    .await;
    match r {
        Ok(to) => Ok(Redirect::to(&to).into_response()),
        Err(e) if is_form_error(&e) => {
            let errors =
                FieldErrors::from_error(&e, &[("changedAmount", "amount"), ("comment", "comment")]);
            let failed = Some((id, f.amount, f.comment));
            render(
                &web,
                &staff,
                QueueQuery::default(),
                errors,
                failed,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(WebError::App(e)),
    }
}

/// `POST /admin/withdrawals/{id}/approve`.
pub async fn approve(
    State(web): State<Web>,
    staff: Staff,
    Path(id): Path<String>,
    Posted(f): Posted<DecisionForm>,
) -> Result<Response, WebError> {
    decide(web, staff, id, f, "approved").await
}

/// `POST /admin/withdrawals/{id}/reject`.
pub async fn reject(
    State(web): State<Web>,
    staff: Staff,
    Path(id): Path<String>,
    Posted(f): Posted<DecisionForm>,
) -> Result<Response, WebError> {
    decide(web, staff, id, f, "rejected").await
}

/// `POST /admin/withdrawals/{id}/refund`.
pub async fn refund(
    State(web): State<Web>,
    staff: Staff,
    Path(id): Path<String>,
    Posted(f): Posted<DecisionForm>,
) -> Result<Response, WebError> {
    decide(web, staff, id, f, "refunded").await
}
