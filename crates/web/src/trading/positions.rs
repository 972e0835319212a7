//! Positions (ReadPositions, in the customer scope): the list with the API's filters — status,
//! symbol, customer, wallet, demo or real, a search on position or wallet id, symbol or
//! external id — from the URL, paged, each open one with its floating P/L and a staff close
//! (ManagePositions, asked to confirm) (`app::trading::positions::list`); with ManagePositions
//! a link to open a new one (on the filtered wallet).

use axum::extract::{Query, State};
use axum::response::Response;
use brokercrm_app::trading::instruments::read;
use brokercrm_app::trading::positions::PositionView;
use brokercrm_app::trading::positions::list::{self, PositionQuery};
use brokercrm_core::identity::auth::Permission;
use brokercrm_core::{Error, Violations};

use crate::Web;
use crate::error::WebError;
use crate::layout::{Ctx, notice};
use crate::list::Pager;
use crate::resource::{Action, Cell, Field, Form, ResourcePage, Row, Table, Values};
use crate::session::Staff;

const PATH: &str = "/admin/positions";
const LIMIT: u64 = 50;
const FILTERS: [&str; 6] = ["status", "symbol", "customer", "wallet", "demo", "q"];
/// The menu key of the position screens.
pub const KEY: &str = "positions";
/// `app` field names → filter names.
const NAMES: [(&str, &str); 6] = [
    ("statuses", "status"),
    ("symbols", "symbol"),
    ("customerId", "customer"),
    ("accountId", "wallet"),
    ("isDemo", "demo"),
    ("search", "q"),
];

fn filters(q: &Values, symbols: &[String]) -> Form {
    let any = || std::iter::once((String::new(), "any".to_owned()));
    let statuses = any().chain(
        ["OPEN", "CLOSED", "PENDING", "CANCELLED"].map(|s| (s.to_owned(), s.to_lowercase())),
    );
    let symbols = any().chain(symbols.iter().map(|s| (s.clone(), s.clone())));
    Form::filters("position-filters", PATH)
        .field(Field::select("status", "Status", statuses).value(q.get("status")))
        .field(Field::select("symbol", "Symbol", symbols).value(q.get("symbol")))
        .field(Field::text("customer", "Customer (account id)").value(q.get("customer")))
        .field(Field::text("wallet", "Wallet").value(q.get("wallet")))
        .field(Field::book().value(q.get("demo")))
        .field(Field::input("search", "q", "Search (id, wallet, external id)").value(q.get("q")))
}

/// The API's query of the filters in `q`; a bad number is named.
fn query(q: &Values) -> Result<PositionQuery, Error> {
    let mut v = Violations::new();
    let customer_id = q.positive(&mut v, "customer");
    let account_id = q.positive(&mut v, "wallet");
    let is_demo = match q.get("demo") {
        "" => None,
        "true" => Some(true),
        "false" => Some(false),
        _ => {
            v.push("demo", "must be real or demo");
            None
        }
    };
    v.finish()?;
    Ok(PositionQuery {
        search: q.opt("q"),
        limit: Some(LIMIT),
        offset: Some(q.offset()),
        statuses: q.opt("status").into_iter().collect(),
        symbols: q.opt("symbol").into_iter().collect(),
        customer_id,
        account_id,
        is_demo,
        ..PositionQuery::default()
    })
}

/// An amount with its currency, blank when unknown.
pub fn money(d: Option<rust_decimal::Decimal>, currency: &str) -> String {
    d.map(|d| format!("{} {currency}", d.round_dp(2).normalize())).unwrap_or_default()
}

/// A time as `YYYY-MM-DD HH:MM`.
pub fn when(t: Option<chrono::DateTime<chrono::Utc>>) -> String {
    t.map(|t| t.format("%Y-%m-%d %H:%M").to_string()).unwrap_or_default()
}

/// A staff close of `p` when it is open and `can_close`.
pub fn close_action(p: &PositionView, can_close: bool) -> Option<Action> {
    (can_close && p.status == "OPEN").then(|| {
        Action::post("Close", format!("{PATH}/{}/close", p.id)).confirm(format!(
            "Close position {} ({} {} {}) at the market?",
            p.id,
            p.side,
            p.size.normalize(),
            p.symbol
        ))
    })
}

fn row(p: &PositionView, can_close: bool) -> Row {
    let r = Row::new(vec![
        Cell::link(p.id, format!("{PATH}/{}", p.id)),
        Cell::link(p.account_id, format!("{PATH}?wallet={}", p.account_id)),
        Cell::link(&p.customer_id, format!("{PATH}?customer={}", p.customer_id)),
        Cell::text(&p.symbol),
        Cell::text(&p.side),
        Cell::text(p.size.normalize()),
        Cell::opt(p.open_price.clone()),
        Cell::opt(p.close_price.clone()),
        Cell::text(when(p.opened_at)),
        Cell::text(&p.status),
        Cell::text(money(p.profit_loss, &p.currency)),
    ]);
    match close_action(p, can_close) {
        Some(a) => r.action(a),
        None => r,
    }
}

/// `GET /admin/positions`.
pub async fn page(
    State(web): State<Web>,
    staff: Staff,
    Query(q): Query<Values>,
) -> Result<Response, WebError> {
    let who = staff.principal();
    let ctx = Ctx::new(&staff, "Positions", KEY).notice(notice(q.done()));
    let symbols = read::symbols(&web.app, who).await?;
    let tabs = super::tabs::tabs(KEY);
    let result = match query(&q) {
        Ok(query) => list::list(&web.app, who, query).await,
        Err(e) => Err(e),
    };
    let found = match result {
        Ok(found) => found,
        Err(e @ Error::Validation(_)) => {
            let form = filters(&q, &symbols).refused(&q, &e, &NAMES);
            return tabs
                .into_iter()
                .fold(ResourcePage::new(ctx), |p, (l, h)| p.link(l, h))
                .filters(form)
                .render();
        }
        Err(e) => return Err(e.into()),
    };
    let offset = q.offset();
    let shown = found.positions.len();
    let pager = Pager::new(PATH, &q.pairs(&FILTERS), offset, LIMIT, shown, found.count);
    let can_close = who.role.can(Permission::ManagePositions);
    let headers = [
        "Position", "Wallet", "Customer", "Symbol", "Side", "Lots", "Open", "Close", "Opened",
        "Status", "P/L",
    ];
    let mut table = Table::new("positions", "Positions", &headers)
        .rows(found.positions.iter().map(|p| row(p, can_close)).collect());
    table.empty = "No position matches.";
    let mut page = ResourcePage::new(ctx);
    if can_close {
        let wallet = q.get("wallet").parse::<i64>().map(|w| format!("?wallet={w}"));
        page = page.link("New position", format!("{PATH}/new{}", wallet.unwrap_or_default()));
    }
    let page = tabs.into_iter().fold(page, |p, (l, h)| p.link(l, h));
    page.filters(filters(&q, &symbols)).table(table).pager(pager).render()
}
