//! Transactions (ReadTransactions, in the desk scope of the use case): every ledger movement
//! filtered by type, state, currency, customer, wallet, dates and id, sorted by time or amount,
//! paged, and the same filters exported as XLSX (`app::money::transactions::{list, export}`).

use axum::body::Body;
use axum::extract::{Query, State};
use axum::http::HeaderValue;
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use brokercrm_app::money::transactions::export::export;
use brokercrm_app::money::transactions::list::{self, FilterInput};
use brokercrm_core::money::ledger::{TransferCode, TransferState};
use brokercrm_core::{Error, Violations};
use chrono::Utc;

use crate::Web;
use crate::error::WebError;
use crate::layout::Ctx;
use crate::list::{Pager, url};
use crate::resource::{Cell, Field, Form, ResourcePage, Row, Table, Values};
use crate::session::Staff;

const LIMIT: u64 = 50;
const PATH: &str = "/admin/transactions";
const FILTERS: [&str; 9] =
    ["type", "status", "currency", "customer", "wallet", "from", "to", "id", "sort"];
const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// The use case's filter from the URL; each bad value named by its form field.
fn filter(q: &Values) -> Result<FilterInput, Error> {
    let mut v = Violations::new();
    let f = FilterInput {
        kind: q.opt("type"),
        status: q.opt("status"),
        currency: q.opt("currency"),
        customer_id: q.positive(&mut v, "customer"),
        wallet_id: q.positive(&mut v, "wallet"),
        start_date: q.day(&mut v, "from", false),
        end_date: q.day(&mut v, "to", true),
        search: q.opt("id"),
        sort_by: q.opt("sort"),
    };
    v.finish()?;
    Ok(f)
}

fn filters_form(q: &Values) -> Form {
    let any = || [(String::new(), "any".to_owned())].into_iter();
    let kinds = any().chain(
        TransferCode::ALL
            .iter()
            .map(|k| (k.as_str().into(), k.as_str().replace('_', " ").to_lowercase())),
    );
    let states =
        any().chain(TransferState::ALL.iter().map(|s| (s.as_str().into(), s.as_str().into())));
    Form::filters("tx-filters", PATH)
        .field(Field::select("type", "Type", kinds).value(q.get("type")))
        .field(Field::select("status", "State", states).value(q.get("status")))
        .field(Field::text("currency", "Currency").value(q.get("currency")))
        .field(Field::input("number", "customer", "Customer id").value(q.get("customer")))
        .field(Field::input("number", "wallet", "Wallet id").value(q.get("wallet")))
        .field(Field::input("date", "from", "From").value(q.get("from")))
        .field(Field::input("date", "to", "To").value(q.get("to")))
        .field(Field::text("id", "Transaction id").value(q.get("id")))
        .field(
            Field::select(
                "sort",
                "Sort",
                [("createdAt", "newest first"), ("amount", "largest first")],
            )
            .value(q.get("sort")),
        )
}

const NAMES: [(&str, &str); 9] = [
    ("type", "type"),
    ("status", "status"),
    ("currency", "currency"),
    ("customer", "customer"),
    ("wallet", "wallet"),
    ("from", "from"),
    ("to", "to"),
    ("endDate", "to"),
    ("sortBy", "sort"),
];

/// `GET /admin/transactions`.
pub async fn page(
    State(web): State<Web>,
    staff: Staff,
    Query(q): Query<Values>,
) -> Result<Response, WebError> {
    let ctx = Ctx::new(&staff, "Transactions", "transactions");
    let offset = q.offset();
    let found = match filter(&q) {
        Ok(f) => list::list(&web.app, staff.principal(), &f, LIMIT, offset).await,
        Err(e) => Err(e),
    };
    let (rows, total) = match found {
        Ok(x) => x,
        Err(e @ Error::Validation(_)) => {
            let form = filters_form(&q).refused(&q, &e, &NAMES);
            return ResourcePage::new(ctx).filters(form).render();
        }
        Err(e) => return Err(e.into()),
    };
    let pairs = q.pairs(&FILTERS);
    let pager = Pager::new(PATH, &pairs, offset, LIMIT, rows.len(), total);
    let headers =
        ["Time", "Type", "State", "Amount", "Currency", "Wallet", "Customer", "Provider", "Id"];
    let table = Table::new("transactions", "Transactions", &headers).rows(
        rows.into_iter()
            .map(|t| {
                Row::new(vec![
                    Cell::text(t.created_at.format("%Y-%m-%d %H:%M:%S")),
                    Cell::text(t.kind),
                    Cell::text(t.status),
                    Cell::text(t.amount),
                    Cell::text(t.currency),
                    Cell::opt(t.wallet_id),
                    Cell::opt(t.customer_id),
                    Cell::opt(t.provider),
                    Cell::code(t.id),
                ])
            })
            .collect(),
    );
    ResourcePage::new(ctx)
        .filters(filters_form(&q))
        .link("Export XLSX", url(&format!("{PATH}/export"), &pairs))
        .table(table)
        .pager(pager)
        .render()
}

/// `GET /admin/transactions/export`: the filtered transactions as a workbook.
pub async fn export_xlsx(
    State(web): State<Web>,
    staff: Staff,
    Query(q): Query<Values>,
) -> Result<Response, WebError> {
    let f = filter(&q)?;
    let file = export(&web.app, staff.principal(), &f).await?;
    let body =
        Body::from_stream(tokio_util::io::ReaderStream::new(tokio::fs::File::from_std(file)));
    let name = format!(
        "attachment; filename=\"transactions-{}.xlsx\"",
        Utc::now().format("%Y%m%d-%H%M%S")
    );
    let mut resp = body.into_response();
    resp.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static(XLSX));
    if let Ok(v) = HeaderValue::from_str(&name) {
        resp.headers_mut().insert(CONTENT_DISPOSITION, v);
    }
    Ok(resp)
}
