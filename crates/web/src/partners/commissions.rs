//! The commission ledger (ReadCommissions): every commission record — introducer, referred
//! client, level, type, the action that earned it, the amount and any correction, paid out or
//! not — filtered by introducer and payout status from the URL, newest or oldest first,
//! paged (`partners::ledger::search`). A record's page holds the correction form.

use axum::extract::{Query, State};
use axum::response::Response;
use brokercrm_app::partners::ledger::{self, Page, RecordView, StaffFilter};
use brokercrm_core::Error;

use crate::Web;
use crate::error::WebError;
use crate::layout::Ctx;
use crate::list::Pager;
use crate::resource::{Cell, Field, Form, ResourcePage, Row, Table, Values};
use crate::session::Staff;

const LIMIT: u64 = 50;
const PATH: &str = "/admin/commissions";
const FILTERS: [&str; 3] = ["introducer", "status", "order"];

fn filters(q: &Values) -> Form {
    Form::filters("commission-filters", PATH)
        .field(Field::text("introducer", "Introducer (public id)").value(q.get("introducer")))
        .field(
            Field::select(
                "status",
                "Status",
                [("", "all"), ("PENDING", "pending"), ("PAIDOUT", "paid out")],
            )
            .value(q.get("status")),
        )
        .field(
            Field::select("order", "Order", [("", "newest first"), ("oldest", "oldest first")])
                .value(q.get("order")),
        )
}

/// A record's row.
pub fn cells(r: &RecordView) -> Vec<Cell> {
    let person = |p: &Option<brokercrm_app::partners::Person>, base: &str| match p {
        Some(p) => Cell::link(&p.email, format!("{base}/{}", p.id)),
        None => Cell::text(""),
    };
    vec![
        Cell::link(format!("#{}", r.id), format!("{PATH}/{}", r.id)),
        Cell::text(r.action_timestamp.format("%Y-%m-%d %H:%M")),
        person(&r.introducer, "/admin/partners"),
        person(&r.referral, "/admin/customers"),
        Cell::text(r.level),
        Cell::text(&r.commission_type),
        Cell::text(&r.action_type),
        Cell::text(format!("{} {}", r.commission_amount, r.currency)),
        Cell::opt(r.corrected_commission_amount),
        Cell::text(r.status),
        Cell::opt(r.admin_comments.clone()),
    ]
}

/// The headers of [`cells`].
pub const HEADERS: [&str; 11] = [
    "Record",
    "Action at",
    "Introducer",
    "Client",
    "Level",
    "Type",
    "Action",
    "Amount",
    "Corrected",
    "Status",
    "Comment",
];

/// `GET /admin/commissions`.
pub async fn page(
    State(web): State<Web>,
    staff: Staff,
    Query(q): Query<Values>,
) -> Result<Response, WebError> {
    let ctx = Ctx::new(&staff, "Commission ledger", "commissions");
    let paid = match q.get("status") {
        "" => None,
        "PENDING" => Some(false),
        "PAIDOUT" => Some(true),
        _ => {
            let e = Error::field("status", "must be PENDING or PAIDOUT");
            return ResourcePage::new(ctx).filters(filters(&q).refused(&q, &e, &[])).render();
        }
    };
    let offset = q.offset();
    let page = Page { offset, limit: LIMIT, newest_first: q.get("order") != "oldest" };
    let f = StaffFilter { introducer: q.opt("introducer"), paid };
    let (rows, total) = ledger::search(&web.app, staff.principal(), page, &f).await?;
    let pager = Pager::new(PATH, &q.pairs(&FILTERS), offset, LIMIT, rows.len(), total);
    let mut table = Table::new("commissions", "Commission records", &HEADERS)
        .rows(rows.iter().map(|r| Row::new(cells(r))).collect());
    table.empty = "No commission records.";
    ResourcePage::new(ctx).filters(filters(&q)).table(table).pager(pager).render()
}
