//! Wallets (ReadWallets, in the money scope): every wallet with its customer, currency,
//! balance, credit and equity, group and leverage, filtered by a search, currency and demo or
//! real from the URL, paged (`money::wallets::admin::list`).

use axum::extract::{Query, State};
use axum::response::Response;
use brokercrm_app::money::wallets::Page;
use brokercrm_app::money::wallets::admin::{self, ListQuery};
use brokercrm_app::money::wallets::views::WalletMoney;
use brokercrm_core::Error;

use crate::Web;
use crate::error::WebError;
use crate::layout::Ctx;
use crate::list::Pager;
use crate::resource::{Cell, Field, Form, ResourcePage, Row, Table, Values};
use crate::session::Staff;

const LIMIT: u64 = 50;
const PATH: &str = "/admin/wallets";
const FILTERS: [&str; 3] = ["q", "currency", "demo"];

fn filters(q: &Values) -> Form {
    Form::filters("wallet-filters", PATH)
        .field(
            Field::input("search", "q", "Search (customer, e-mail, wallet id)").value(q.get("q")),
        )
        .field(Field::text("currency", "Currency").value(q.get("currency")))
        .field(Field::book().value(q.get("demo")))
}

/// `GET /admin/wallets`.
pub async fn page(
    State(web): State<Web>,
    staff: Staff,
    Query(q): Query<Values>,
) -> Result<Response, WebError> {
    let ctx = Ctx::new(&staff, "Wallets", "wallets");
    let offset = q.offset();
    let query = ListQuery {
        search: q.opt("q"),
        currencies: q.opt("currency").into_iter().collect(),
        is_demo: q.opt("demo"),
        ..Default::default()
    };
    let page = Page::numbered(Some(offset / LIMIT + 1), Some(LIMIT))?;
    let (rows, total) = match admin::list(&web.app, staff.principal(), query, page).await {
        Ok(x) => x,
        Err(e @ Error::Validation(_)) => {
            let names = [("search", "q"), ("currencies", "currency"), ("isDemo", "demo")];
            return ResourcePage::new(ctx).filters(filters(&q).refused(&q, &e, &names)).render();
        }
        Err(e) => return Err(e.into()),
    };
    let pager =
        Pager::new(PATH, &q.pairs(&FILTERS), offset - offset % LIMIT, LIMIT, rows.len(), total);
    let headers = [
        "Wallet", "Customer", "Currency", "Balance", "Credit", "Equity", "Group", "Leverage",
        "Book", "Status",
    ];
    let table = Table::new("wallets", "Wallets", &headers).rows(
        rows.iter()
            .map(|w| {
                let customer = match &w.customer {
                    Some(c) => Cell::link(&c.email, format!("/admin/customers/{}", c.id)),
                    None => Cell::text(&w.customer_id),
                };
                let money = |f: fn(&WalletMoney) -> String| {
                    Cell::text(w.money.as_ref().map(f).unwrap_or_default())
                };
                Row::new(vec![
                    Cell::text(w.id),
                    customer,
                    Cell::text(&w.currency),
                    money(|m| m.balance.to_string()),
                    money(|m| m.credit.to_string()),
                    money(|m| m.equity.to_string()),
                    Cell::opt(w.group.as_ref().map(|g| g.name.clone())),
                    Cell::text(w.leverage),
                    Cell::text(if w.is_demo { "demo" } else { "real" }),
                    Cell::text(&w.status),
                ])
            })
            .collect(),
    );
    ResourcePage::new(ctx).filters(filters(&q)).table(table).pager(pager).render()
}
