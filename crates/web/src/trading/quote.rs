//! A manual quote on an instrument's page: bid and ask, stored now as a tick of source
//! `manual`, through the API's "Set a manual quote" (ManageInstruments, as the API route; the
//! use case checks the prices against the instrument's decimals and audits it)
//! (`app::trading::prices::manual::quote`).

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use brokercrm_app::trading::instruments::read;
use brokercrm_app::trading::prices::manual;
use brokercrm_core::identity::auth::Permission;
use serde_json::Value;

use super::instrument::{BASE, render};
use crate::Web;
use crate::error::WebError;
use crate::form::{Posted, is_form_error};
use crate::resource::{Field, Form, Values};
use crate::session::Staff;

/// The quote form of `symbol`, greyed out unless `can_set`.
pub fn form(symbol: &str, can_set: bool) -> Form {
    Form::post("quote-form", format!("{BASE}/{symbol}/quote"), "Manual quote")
        .submit("Set quote")
        .disabled(!can_set)
        .field(Field::text("bid", "Bid").required())
        .field(Field::text("ask", "Ask").required().hint("Not below the bid."))
}

/// `POST /admin/instruments/{symbol}/quote`.
pub async fn set(
    State(web): State<Web>,
    staff: Staff,
    Path(symbol): Path<String>,
    Posted(f): Posted<Values>,
) -> Result<Response, WebError> {
    let who = staff.principal();
    let text = |k: &str| Value::String(f.get(k).to_owned());
    match manual::quote(&web.app, who, &symbol, &text("bid"), &text("ask")).await {
        Ok(q) => Ok(Redirect::to(&format!("{BASE}/{}?done=quoted", q.symbol)).into_response()),
        Err(e) if is_form_error(&e) => {
            let i = read::get(&web.app, who, &symbol).await?;
            let refused = form(&i.symbol, true).refused(&f, &e, &[]);
            let can_edit = who.role.can(Permission::ManageInstruments);
            let page = super::instrument::form(Some(&i), can_edit);
            render(&web, &staff, Some(&i), page, Some(refused), None).await
        }
        Err(e) => Err(e.into()),
    }
}
