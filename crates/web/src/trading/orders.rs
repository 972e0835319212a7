//! Pending orders (ReadPositions, in the customer scope): the limit and stop orders waiting
//! for their price, filtered by symbol, wallet and a search from the URL, paged; a cancel
//! (ManagePositions, asked to confirm) cancels the order and its position
//! (`app::trading::positions::orders::{list, cancel}`). An order links to its position's page,
//! where it is moved (`order`).

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use brokercrm_app::trading::instruments::read;
use brokercrm_app::trading::positions::orders::{self, OrderQuery};
use brokercrm_core::identity::auth::Permission;
use brokercrm_core::{Error, Violations};

use super::positions::KEY;
use crate::Web;
use crate::error::WebError;
use crate::form::{Empty, Posted};
use crate::layout::{Ctx, notice};
use crate::list::Pager;
use crate::resource::{Action, Cell, Field, Form, ResourcePage, Row, Table, Values};
use crate::session::Staff;

const PATH: &str = "/admin/orders";
const LIMIT: u64 = 50;
const FILTERS: [&str; 3] = ["symbol", "wallet", "q"];
const NAMES: [(&str, &str); 3] = [("symbols", "symbol"), ("accountId", "wallet"), ("search", "q")];

fn filters(q: &Values, symbols: &[String]) -> Form {
    let symbols = std::iter::once((String::new(), "any".to_owned()))
        .chain(symbols.iter().map(|s| (s.clone(), s.clone())));
    Form::filters("order-filters", PATH)
        .field(Field::select("symbol", "Symbol", symbols).value(q.get("symbol")))
        .field(Field::text("wallet", "Wallet").value(q.get("wallet")))
        .field(Field::input("search", "q", "Search").value(q.get("q")))
}

fn query(q: &Values) -> Result<OrderQuery, Error> {
    let mut v = Violations::new();
    let account_id = q.positive(&mut v, "wallet");
    v.finish()?;
    Ok(OrderQuery {
        limit: Some(LIMIT),
        offset: Some(q.offset()),
        search: q.opt("q"),
        statuses: vec!["PENDING".into()],
        types: Vec::new(),
        account_id,
        symbols: q.opt("symbol").into_iter().collect(),
    })
}

/// `GET /admin/orders`.
pub async fn page(
    State(web): State<Web>,
    staff: Staff,
    Query(q): Query<Values>,
) -> Result<Response, WebError> {
    let who = staff.principal();
    let ctx = Ctx::new(&staff, "Pending orders", KEY).notice(notice(q.done()));
    let symbols = read::symbols(&web.app, who).await?;
    let page = super::tabs::tabs("orders")
        .into_iter()
        .fold(ResourcePage::new(ctx), |p, (l, h)| p.link(l, h));
    let result = match query(&q) {
        Ok(query) => orders::list(&web.app, who, query).await,
        Err(e) => Err(e),
    };
    let (found, total) = match result {
        Ok(x) => x,
        Err(e @ Error::Validation(_)) => {
            return page.filters(filters(&q, &symbols).refused(&q, &e, &NAMES)).render();
        }
        Err(e) => return Err(e.into()),
    };
    let can_cancel = who.role.can(Permission::ManagePositions);
    let rows = found
        .iter()
        .map(|o| {
            let r = Row::new(vec![
                Cell::link(o.id, format!("/admin/positions/{}#order-form", o.position_id)),
                Cell::link(o.position_id, format!("/admin/positions/{}", o.position_id)),
                Cell::link(o.account_id, format!("/admin/positions?wallet={}", o.account_id)),
                Cell::text(&o.symbol),
                Cell::text(&o.side),
                Cell::text(&o.kind),
                Cell::text(o.size.normalize()),
                Cell::opt(o.limit_price.clone().or(o.stop_price.clone())),
                Cell::opt(o.stop_loss.clone()),
                Cell::opt(o.take_profit.clone()),
                Cell::text(o.created_at.format("%Y-%m-%d %H:%M")),
            ]);
            if can_cancel {
                r.action(Action::post("Cancel", format!("{PATH}/{}/cancel", o.id)).confirm(
                    format!("Cancel order {} ({} {} {})?", o.id, o.kind, o.side, o.symbol),
                ))
            } else {
                r
            }
        })
        .collect();
    let headers = [
        "Order",
        "Position",
        "Wallet",
        "Symbol",
        "Side",
        "Type",
        "Lots",
        "Price",
        "Stop loss",
        "Take profit",
        "Placed",
    ];
    let mut table = Table::new("pending-orders", "Pending orders", &headers).rows(rows);
    table.empty = "No pending order.";
    let offset = q.offset();
    let pager = Pager::new(PATH, &q.pairs(&FILTERS), offset, LIMIT, found.len(), total);
    page.filters(filters(&q, &symbols)).table(table).pager(pager).render()
}

/// `POST /admin/orders/{id}/cancel`.
pub async fn cancel(
    State(web): State<Web>,
    staff: Staff,
    Path(id): Path<i64>,
    Posted(_): Posted<Empty>,
) -> Result<Response, WebError> {
    orders::cancel(&web.app, staff.principal(), id).await?;
    Ok(Redirect::to(&format!("{PATH}?done=cancelled")).into_response())
}
