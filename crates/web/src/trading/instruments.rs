//! Instruments (ReadInstruments): every instrument with its category, currencies, sizes,
//! margin, swaps, status and latest quote, filtered by category, status and a search on the
//! symbol from the URL; a link to a new one and delete (ManageInstruments, asked to confirm).

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use brokercrm_app::trading::instruments::{InstrumentView, manage, read};
use brokercrm_app::trading::prices::manual;
use brokercrm_core::identity::auth::Permission;
use brokercrm_core::trading::instruments::{Category, InstrumentStatus};

use super::instrument::KEY;
use crate::Web;
use crate::error::WebError;
use crate::form::{Empty, Posted};
use crate::layout::{Ctx, notice};
use crate::resource::{Action, Cell, Field, Form, ResourcePage, Row, Table, Values};
use crate::session::Staff;

const PATH: &str = "/admin/instruments";

fn filters(q: &Values) -> Form {
    let any = || std::iter::once((String::new(), "any".to_owned()));
    let categories =
        any().chain(Category::ALL.iter().map(|c| (c.as_str().into(), c.as_str().into())));
    let statuses =
        any().chain(InstrumentStatus::ALL.iter().map(|s| (s.as_str().into(), s.as_str().into())));
    Form::filters("instrument-filters", PATH)
        .field(Field::input("search", "q", "Symbol").value(q.get("q")))
        .field(Field::select("category", "Category", categories).value(q.get("category")))
        .field(Field::select("status", "Status", statuses).value(q.get("status")))
}

/// Whether `i` passes the filters of `q`.
fn wanted(i: &InstrumentView, q: &Values) -> bool {
    let search = q.get("q").to_ascii_uppercase();
    (search.is_empty() || i.symbol.to_ascii_uppercase().contains(&search))
        && (q.get("category").is_empty() || i.category == q.get("category"))
        && (q.get("status").is_empty() || i.status == q.get("status"))
}

async fn row(web: &Web, i: &InstrumentView, can_edit: bool) -> Result<Row, WebError> {
    let quote = manual::latest(&web.app, &i.symbol).await?;
    let d = |v: &rust_decimal::Decimal| v.normalize().to_string();
    let swap = if i.swap_mode == "DISABLED" {
        "none".to_owned()
    } else {
        format!("{} / {}", d(&i.swap_long), d(&i.swap_short))
    };
    let r = Row::new(vec![
        Cell::link(&i.symbol, format!("{PATH}/{}", i.symbol)),
        Cell::text(&i.category),
        Cell::text(format!("{}/{}", i.margin_currency, i.currency)),
        Cell::text(d(&i.contract_size)),
        Cell::text(format!(
            "{} % ({} % hedged)",
            d(&i.margin_percentage),
            d(&i.hedged_margin_percentage)
        )),
        Cell::text(format!("{} – {}", d(&i.min_order_size), d(&i.max_order_size))),
        Cell::text(swap),
        Cell::opt(quote.map(|q| format!("{} / {}", q.bid, q.ask))),
        Cell::text(&i.status),
    ]);
    Ok(if can_edit {
        r.action(
            Action::post("Delete", format!("{PATH}/{}/delete", i.symbol))
                .confirm(format!("Delete the instrument {}?", i.symbol)),
        )
    } else {
        r
    })
}

/// `GET /admin/instruments`.
pub async fn page(
    State(web): State<Web>,
    staff: Staff,
    Query(q): Query<Values>,
) -> Result<Response, WebError> {
    let all = read::list(&web.app, staff.principal()).await?;
    let can_edit = staff.principal().role.can(Permission::ManageInstruments);
    let mut rows = Vec::new();
    for i in all.iter().filter(|i| wanted(i, &q)) {
        rows.push(row(&web, i, can_edit).await?);
    }
    let headers = [
        "Symbol",
        "Category",
        "Currencies",
        "Contract",
        "Margin",
        "Lots",
        "Swap long / short",
        "Bid / ask",
        "Status",
    ];
    let mut table = Table::new("instruments", "Instruments", &headers).rows(rows);
    table.empty = "No instrument matches.";
    let ctx = Ctx::new(&staff, "Instruments", KEY).notice(notice(q.done()));
    let page = ResourcePage::new(ctx).filters(filters(&q));
    let page = if can_edit { page.link("New instrument", format!("{PATH}/new")) } else { page };
    page.table(table).render()
}

/// `POST /admin/instruments/{symbol}/delete`.
pub async fn delete(
    State(web): State<Web>,
    staff: Staff,
    Path(symbol): Path<String>,
    Posted(_): Posted<Empty>,
) -> Result<Response, WebError> {
    manage::delete(&web.app, staff.principal(), &symbol).await?;
    Ok(Redirect::to(&format!("{PATH}?done=deleted")).into_response())
}
