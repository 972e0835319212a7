//! A new position for a customer: wallet (prefilled from `?wallet=`), symbol, side, lots, the
//! optional stops and an optional price that overrides the market's, through the API's
//! "Create position" as staff (ManagePositions; the use case checks the wallet, the market and
//! the margin, charges the commission and audits it) (`app::trading::positions::open::create`).

use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use brokercrm_app::trading::instruments::read;
use brokercrm_app::trading::positions::open::{self, OpenInput};
use brokercrm_core::identity::auth::Permission;
use brokercrm_core::{Error, FieldError};

use super::forms::{STOPS, typed, with_stops};
use super::positions::KEY;
use crate::Web;
use crate::error::WebError;
use crate::form::{Posted, is_form_error};
use crate::layout::Ctx;
use crate::resource::{Field, Form, ResourcePage, Values};
use crate::session::Staff;

/// `app` field names → form field names.
const NAMES: [(&str, &str); 5] = [
    ("accountId", "wallet"),
    ("symbol", "symbol"),
    ("side", "side"),
    ("size", "size"),
    ("openPrice", "open_price"),
];

fn form(symbols: &[String], wallet: &str) -> Form {
    let symbols = symbols.iter().map(|s| (s.clone(), s.clone()));
    let f = Form::post("open-form", "/admin/positions", "New position")
        .submit("Open position")
        .field(Field::text("wallet", "Wallet").value(wallet).required())
        .field(Field::select("symbol", "Symbol", symbols))
        .field(Field::select("side", "Side", [("BUY", "buy"), ("SELL", "sell")]))
        .field(Field::text("size", "Lots").required());
    with_stops(f, None, None, None).field(
        Field::text("open_price", "Price")
            .hint("Blank: at the market. A price given here is the fill price (audited)."),
    )
}

fn render(staff: &Staff, f: Form) -> Result<Response, WebError> {
    let ctx = Ctx::new(staff, "New position", KEY);
    ResourcePage::new(ctx).back("/admin/positions", "Positions").form(f).render()
}

/// `GET /admin/positions/new` (`?wallet=`).
pub async fn page(
    State(web): State<Web>,
    staff: Staff,
    Query(q): Query<Values>,
) -> Result<Response, WebError> {
    // Only a form: opening is refused by the use case; this spares other roles a dead form.
    let who = staff.principal();
    if !who.role.can(Permission::ManagePositions) {
        return Err(Error::Forbidden.into());
    }
    let symbols = read::symbols(&web.app, who).await?;
    render(&staff, form(&symbols, q.get("wallet")))
}

/// `e` with a wallet that is not a number, or not one the caller may see, beside `wallet`.
fn wallet_named(e: Error, typed: &str) -> Error {
    match e {
        Error::NotFound("wallet") => Error::field("accountId", "no such wallet"),
        Error::Validation(list) if !typed.is_empty() => Error::Validation(
            list.into_iter()
                .map(|f| match f.field.as_str() {
                    "accountId" if f.message == "is required" => FieldError {
                        field: f.field,
                        message: "must be a wallet id (a positive whole number)".into(),
                    },
                    _ => f,
                })
                .collect(),
        ),
        other => other,
    }
}

/// `POST /admin/positions`: opens the position; on to its page.
pub async fn create(
    State(web): State<Web>,
    staff: Staff,
    Posted(f): Posted<Values>,
) -> Result<Response, WebError> {
    let who = staff.principal();
    let input = OpenInput {
        size: serde_json::Value::String(f.get("size").to_owned()),
        side: f.get("side").to_owned(),
        symbol: f.get("symbol").to_owned(),
        account_id: f.get("wallet").parse().ok().filter(|n: &i64| *n > 0),
        stop_loss: typed(&f, "stop_loss"),
        take_profit: typed(&f, "take_profit"),
        trailing_pct: typed(&f, "trailing_pct"),
        open_price: typed(&f, "open_price"),
        ..OpenInput::default()
    };
    match open::create(&web.app, who, input).await.map_err(|e| wallet_named(e, f.get("wallet"))) {
        Ok(p) => {
            Ok(Redirect::to(&format!("/admin/positions/{}?done=opened", p.id)).into_response())
        }
        Err(e) if is_form_error(&e) => {
            let symbols = read::symbols(&web.app, who).await?;
            let names: Vec<(&str, &str)> = NAMES.into_iter().chain(STOPS).collect();
            render(&staff, form(&symbols, "").refused(&f, &e, &names))
        }
        Err(e) => Err(e.into()),
    }
}
