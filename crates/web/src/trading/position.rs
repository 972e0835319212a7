//! One position (ReadPositions, in the customer scope): what it is and what it made, its
//! wallet and customer, its orders (the opening one, a pending limit or stop, the closing
//! one), and a staff close at the market (ManagePositions, audited by the use case; reason
//! STAFF) (`app::trading::positions::{list::get, list::orders_of, close::close}`). With
//! ManagePositions an open position offers its stops form (posted to `stops`), a pending one
//! its order's form (posted to `order`).

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use brokercrm_app::money::wallets::admin as wallets;
use brokercrm_app::trading::positions::{close, list};
use brokercrm_core::identity::auth::Permission;

use super::forms;
use super::positions::{KEY, close_action, money, when};
use crate::Web;
use crate::error::WebError;
use crate::form::{Empty, Posted};
use crate::layout::{Ctx, notice};
use crate::resource::{Cell, Form, ResourcePage, Row, Table, Values};
use crate::session::Staff;

fn pair(k: &str, v: impl ToString) -> Row {
    Row::new(vec![Cell::text(k), Cell::text(v)])
}

fn opt(v: Option<impl ToString>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

/// `GET /admin/positions/{id}`.
pub async fn page(
    State(web): State<Web>,
    staff: Staff,
    Path(id): Path<i64>,
    Query(q): Query<Values>,
) -> Result<Response, WebError> {
    render(&web, &staff, id, None, q.done()).await
}

/// The page of position `id`; `refused`: its stops or order form sent back with its errors.
pub async fn render(
    web: &Web,
    staff: &Staff,
    id: i64,
    refused: Option<Form>,
    done: Option<&str>,
) -> Result<Response, WebError> {
    let who = staff.principal();
    let p = list::get(&web.app, who, id).await?;
    let orders = list::orders_of(&web.app, who, id).await?;
    // The customer's link needs ReadWallets; without it the page shows the account id only.
    let wallet = wallets::get(&web.app, who, p.account_id).await.ok();
    let customer = match wallet.as_ref().and_then(|w| w.customer.as_ref()) {
        Some(c) => Cell::link(&c.email, format!("/admin/customers/{}", c.id)),
        None => Cell::text(&p.customer_id),
    };
    let book = wallet.as_ref().map(|w| if w.is_demo { "demo" } else { "real" });
    let mut summary = Row::new(vec![
        Cell::text(&p.symbol),
        Cell::text(&p.side),
        Cell::text(p.size.normalize()),
        Cell::text(&p.status),
        Cell::text(money(p.profit_loss, &p.currency)),
        Cell::link(p.account_id, format!("/admin/positions?wallet={}", p.account_id)),
        customer,
    ]);
    let can_manage = who.role.can(Permission::ManagePositions);
    let form = match p.status.as_str() {
        _ if !can_manage => None,
        "OPEN" => Some(forms::stops(&p)),
        "PENDING" => orders.iter().find(|o| o.status == "PENDING").map(|o| forms::order(o, false)),
        _ => None,
    };
    if let Some(a) = close_action(&p, can_manage) {
        summary = summary.action(a);
    }
    let headers = ["Symbol", "Side", "Lots", "Status", "P/L", "Wallet", "Customer"];
    let summary = Table::new("position", "Position", &headers).rows(vec![summary]);
    let details = Table::new("position-details", "Details", &["Field", "Value"]).rows(vec![
        pair("Book", opt(book)),
        pair("Platform", &p.platform),
        pair("Open price", opt(p.open_price.clone())),
        pair("Close price", opt(p.close_price.clone())),
        pair("Opened", when(p.opened_at)),
        pair("Closed", when(p.closed_at)),
        pair("Closed because", opt(p.closed_reason.clone())),
        pair("Stop loss", opt(p.stop_loss)),
        pair("Take profit", opt(p.take_profit)),
        pair("Trailing stop %", opt(p.tailing_stop_loss_pct.clone())),
        pair("Margin", format!("{} {}", p.margin, p.currency)),
        pair("Commission", format!("{} {}", p.commission.normalize(), p.currency)),
        pair("Swap", format!("{} {}", p.swap.normalize(), p.currency)),
        pair("Realised P/L (profit currency)", opt(p.closed_pl.map(|d| d.normalize()))),
        pair("External id", &p.opening_order_external_id),
        pair("Version", p.version),
    ]);
    let order_rows = orders
        .iter()
        .map(|o| {
            Row::new(vec![
                Cell::text(o.id),
                Cell::text(&o.purpose),
                Cell::text(&o.kind),
                Cell::text(&o.side),
                Cell::text(o.size.normalize()),
                Cell::opt(o.limit_price.clone().or(o.stop_price.clone())),
                Cell::opt(o.fill_price.clone()),
                Cell::text(&o.status),
                Cell::text(o.created_at.format("%Y-%m-%d %H:%M:%S")),
                Cell::text(when(o.filled_at)),
            ])
        })
        .collect();
    let headers = [
        "Order",
        "Purpose",
        "Type",
        "Side",
        "Lots",
        "Limit/stop",
        "Fill",
        "Status",
        "Placed",
        "Filled",
    ];
    let orders = Table::new("orders", "Orders", &headers).rows(order_rows);
    let ctx = Ctx::new(staff, format!("Position {id}"), KEY).notice(notice(done));
    let page = ResourcePage::new(ctx)
        .back("/admin/positions", "Positions")
        .table(summary)
        .table(details)
        .table(orders);
    match refused.or(form) {
        Some(f) => page.form(f).render(),
        None => page.render(),
    }
}

/// `POST /admin/positions/{id}/close`: closes at the market.
pub async fn close(
    State(web): State<Web>,
    staff: Staff,
    Path(id): Path<i64>,
    Posted(_): Posted<Empty>,
) -> Result<Response, WebError> {
    close::close(&web.app, staff.principal(), id).await?;
    Ok(Redirect::to(&format!("/admin/positions/{id}?done=closed")).into_response())
}
