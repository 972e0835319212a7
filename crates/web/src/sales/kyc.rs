//! KYC review queue (WorkCustomers, in the customer scope): customers by KYC status (pending
//! first by default), searched and paged from the URL, each linked to its KYC page
//! (`sales::customers::list::list`, the customers list's own filter).

use axum::extract::{Query, State};
use axum::response::Response;
use brokercrm_app::sales::customers::list::{self, ListParams};
use brokercrm_core::onboarding::kyc::KycStatus;

use crate::Web;
use crate::error::WebError;
use crate::form::is_form_error;
use crate::layout::Ctx;
use crate::list::Pager;
use crate::resource::{Cell, Field, Form, ResourcePage, Row, Table, Values};
use crate::session::Staff;

const LIMIT: u64 = 50;
const PATH: &str = "/admin/kyc";

/// The chosen status: `pending` when none was asked for, `any` for all.
fn status(q: &Values) -> String {
    q.opt("status").unwrap_or_else(|| "pending".to_owned())
}

fn filters(q: &Values) -> Form {
    let mut options = vec![("any".to_owned(), "any status".to_owned())];
    options.extend(KycStatus::ALL.iter().map(|k| (k.as_str().to_owned(), k.wire().to_owned())));
    Form::filters("kyc-filters", PATH)
        .field(Field::select("status", "KYC status", options).value(status(q)))
        .field(Field::input("search", "q", "Search (name, e-mail, account)").value(q.get("q")))
}

/// `GET /admin/kyc`.
pub async fn page(
    State(web): State<Web>,
    staff: Staff,
    Query(q): Query<Values>,
) -> Result<Response, WebError> {
    let ctx = Ctx::new(&staff, "KYC review", "kyc");
    let chosen = status(&q);
    let params = ListParams {
        offset: Some(i64::try_from(q.offset()).unwrap_or(i64::MAX)),
        limit: Some(LIMIT as i64),
        search: q.opt("q"),
        sort_by: Some("createdAt|ASC".into()),
        selected_kyc_statuses: Some(chosen.clone()).filter(|s| s != "any").into_iter().collect(),
        ..Default::default()
    };
    let (rows, total) = match list::list(&web.app, staff.principal(), &params).await {
        Ok(x) => x,
        Err(e) if is_form_error(&e) => {
            let names = [("selectedKycStatuses[0]", "status"), ("search", "q")];
            return ResourcePage::new(ctx).filters(filters(&q).refused(&q, &e, &names)).render();
        }
        Err(e) => return Err(e.into()),
    };
    let shown = rows.len();
    let rows = rows.into_iter().map(|c| {
        Row::new(vec![
            Cell::link(&c.name, format!("{PATH}/{}", c.id)),
            Cell::text(&c.email),
            Cell::opt(c.country.as_ref()),
            Cell::text(&c.kyc_status),
            Cell::opt(c.kyc_reviewed_by_name.as_ref()),
            Cell::text(c.created_at.format("%Y-%m-%d")),
        ])
    });
    let headers = ["Customer", "E-mail", "Country", "KYC", "Reviewed by", "Registered"];
    let mut table = Table::new("kyc-customers", "Customers by KYC status", &headers);
    table = table.rows(rows.collect());
    table.empty = "No customer with this KYC status.";
    let mut query = q.pairs(&["q"]);
    query.push(("status".into(), chosen));
    let pager = Pager::new(PATH, &query, q.offset(), LIMIT, shown, total);
    ResourcePage::new(ctx)
        .intro("Oldest registrations first. Open a customer to see the documents and decide.")
        .filters(filters(&q))
        .table(table)
        .pager(pager)
        .render()
}
