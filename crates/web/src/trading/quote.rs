//! A manual quote, posted from an instrument's page: bid and ask, stored now as a tick of source
//! `manual`, through the API's "Set a manual quote" (ManageInstruments, as the API route; the
//! use case checks the prices against the instrument's decimals and audits it)
//! (`app::trading::prices::manual::quote`).

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use brokercrm_app::trading::instruments::read;
use brokercrm_app::trading::prices::manual;
use brokercrm_core::identity::auth::Permission;
use serde_json::Value;

use super::instrument::{BASE, quote_form, render};
use crate::Web;
use crate::error::WebError;
use crate::form::{Posted, is_form_error};
use crate::resource::Values;
use crate::session::Staff;

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
            let refused = quote_form(&i.symbol, true).refused(&f, &e, &[]);
            let can_edit = who.role.can(Permission::ManageInstruments);
            let page = super::instrument::form(Some(&i), can_edit);
            render(&web, &staff, Some(&i), page, Some(refused), None).await
        }
        Err(e) => Err(e.into()),
    }
}
