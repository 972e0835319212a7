//! Exposures (ReadPositions, in the customer scope): per symbol with open positions the long,
//! short, net and gross lots, the notional at the latest quote and the broker's floating P/L
//! in the report currency, by trading group and demo or real, with the latest quotes of every
//! instrument (`app::trading::risk::exposures::exposures`, `prices::manual::latest`). Our
//! script re-reads `GET /admin/risk/live` (the same figures as JSON) every few seconds and
//! redraws the tables; without it the page is still right when loaded.

use askama::Template;
use axum::Json;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use brokercrm_app::trading::instruments::read;
use brokercrm_app::trading::prices::manual::{self, QuoteView};
use brokercrm_app::trading::risk::RiskQuery;
use brokercrm_app::trading::risk::exposures::{Exposure, exposures};
use brokercrm_core::Error;
use rust_decimal::Decimal;
use serde::Serialize;

use super::positions::KEY;
use crate::Web;
use crate::error::{WebError, html, html_status};
use crate::form::FieldErrors;
use crate::layout::Ctx;
use crate::resource::Values;
use crate::session::Staff;

/// How often the script re-reads the figures, in milliseconds.
const REFRESH_MS: u64 = 3000;

/// What the page shows and the live route answers.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Live {
    pub exposures: Vec<Exposure>,
    /// The broker's floating P/L over every symbol with a quote, in `currency`.
    pub total_floating: String,
    pub currency: String,
    pub quotes: Vec<QuoteView>,
    pub at: String,
}

fn text(d: Option<Decimal>) -> String {
    d.map(|d| d.normalize().to_string()).unwrap_or_default()
}

#[derive(Template)]
#[template(path = "risk.html")]
struct RiskPage {
    ctx: Ctx,
    tabs: Vec<(String, String)>,
    group: String,
    demo: String,
    live: Option<Live>,
    live_url: String,
    refresh_ms: u64,
    errors: FieldErrors,
}

impl RiskPage {
    fn num(&self, d: &Decimal) -> String {
        d.normalize().to_string()
    }
    fn opt(&self, d: &Option<Decimal>) -> String {
        text(*d)
    }
}

fn query(q: &Values) -> Result<RiskQuery, Error> {
    let is_demo = match q.get("demo") {
        "" => None,
        "true" => Some(true),
        "false" => Some(false),
        _ => return Err(Error::field("isDemo", "must be real or demo")),
    };
    Ok(RiskQuery { group: q.opt("group"), is_demo })
}

async fn live_of(web: &Web, staff: &Staff, q: &Values) -> Result<Live, Error> {
    let who = staff.principal();
    let found = exposures(&web.app, who, query(q)?).await?;
    let total: Decimal = found.exposures.iter().filter_map(|e| e.broker_floating_profit_loss).sum();
    let currency = found.exposures.first().map(|e| e.currency.clone()).unwrap_or_default();
    let mut quotes = Vec::new();
    for symbol in read::symbols(&web.app, who).await? {
        if let Some(q) = manual::latest(&web.app, &symbol).await? {
            quotes.push(q);
        }
    }
    Ok(Live {
        exposures: found.exposures,
        total_floating: total.normalize().to_string(),
        currency,
        quotes,
        at: web.app.clock().now().format("%H:%M:%S").to_string(),
    })
}

/// `GET /admin/risk`.
pub async fn page(
    State(web): State<Web>,
    staff: Staff,
    Query(q): Query<Values>,
) -> Result<Response, WebError> {
    let pairs: Vec<(String, String)> = q.pairs(&["group", "demo"]);
    let mut page = RiskPage {
        ctx: Ctx::new(&staff, "Exposures", KEY),
        tabs: super::tabs::tabs("risk"),
        group: q.get("group").to_owned(),
        demo: q.get("demo").to_owned(),
        live: None,
        live_url: crate::list::url("/admin/risk/live", &pairs),
        refresh_ms: REFRESH_MS,
        errors: FieldErrors::default(),
    };
    match live_of(&web, &staff, &q).await {
        Ok(live) => {
            page.live = Some(live);
            html(&page)
        }
        Err(e @ Error::Validation(_)) => {
            page.errors = FieldErrors::from_error(&e, &[("group", "group"), ("isDemo", "demo")]);
            html_status(axum::http::StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
        Err(e) => Err(e.into()),
    }
}

/// `GET /admin/risk/live`: the page's figures as JSON, for its script.
pub async fn live(
    State(web): State<Web>,
    staff: Staff,
    Query(q): Query<Values>,
) -> Result<Response, WebError> {
    let live = live_of(&web, &staff, &q).await?;
    let mut r = Json(live).into_response();
    r.headers_mut().insert(
        axum::http::header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static("no-store"),
    );
    Ok(r)
}
