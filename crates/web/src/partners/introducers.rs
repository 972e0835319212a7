//! Introducers (IBs and affiliates; ReadCommissions): every introducer with its e-mail, name,
//! referral key, own commission model and how many customers it referred, searched by
//! e-mail or name from the URL, paged (`partners::directory::list`).

use axum::extract::{Query, State};
use axum::response::Response;
use brokercrm_app::partners::directory;

use crate::Web;
use crate::error::WebError;
use crate::layout::Ctx;
use crate::list::Pager;
use crate::resource::{Cell, Field, Form, ResourcePage, Row, Table, Values};
use crate::session::Staff;

const LIMIT: u64 = 50;
const PATH: &str = "/admin/partners";

/// A person's name, or "" when it has none.
pub fn name(first: Option<&str>, last: Option<&str>) -> String {
    [first, last].into_iter().flatten().collect::<Vec<_>>().join(" ")
}

/// `GET /admin/partners`.
pub async fn page(
    State(web): State<Web>,
    staff: Staff,
    Query(q): Query<Values>,
) -> Result<Response, WebError> {
    let offset = q.offset();
    let search = q.opt("q");
    let (rows, total) =
        directory::list(&web.app, staff.principal(), search.as_deref(), offset, LIMIT).await?;
    let pager = Pager::new(PATH, &q.pairs(&["q"]), offset, LIMIT, rows.len(), total);
    let headers = ["E-mail", "Name", "Referral key", "Own model", "Referred clients"];
    let mut table = Table::new("introducers", "Introducers", &headers).rows(
        rows.iter()
            .map(|r| {
                let p = &r.person;
                Row::new(vec![
                    Cell::link(&p.email, format!("{PATH}/{}", p.id)),
                    Cell::text(name(p.firstname.as_deref(), p.lastname.as_deref())),
                    Cell::code(&r.referral_key),
                    Cell::text(
                        r.commission_model_id
                            .map_or_else(|| "inherited / default".to_owned(), |m| format!("#{m}")),
                    ),
                    Cell::text(r.referred),
                ])
            })
            .collect(),
    );
    table.empty = "No introducers.";
    let filters = Form::filters("partner-filters", PATH)
        .field(Field::input("search", "q", "Search (e-mail or name)").value(q.get("q")));
    let ctx = Ctx::new(&staff, "Introducers", "partners");
    ResourcePage::new(ctx).filters(filters).table(table).pager(pager).render()
}
