//! Market-data accounts: the list (search by e-mail, one application's, paged; the filters in
//! the URL) and an account's page — its data and status, its subscriptions, the agreements it
//! signed and its history.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use brokercrm_app::market_data::admin_accounts::{
    self, AccountDetail, AccountQuery, AccountRowView,
};
use brokercrm_app::market_data::applications::{self, ApplicationView};
use serde::Deserialize;

use crate::Web;
use crate::error::{WebError, html};
use crate::form::is_form_error;
use crate::layout::Ctx;
use crate::list::Pager;
use crate::session::Staff;

/// The tab key of these screens.
const TAB: &str = "accounts";
/// Accounts per page.
const LIMIT: u64 = 50;

/// The list's filters, from the URL.
#[derive(Deserialize, Default)]
pub struct AccountsQuery {
    /// Part of the e-mail.
    #[serde(default)]
    q: String,
    /// An application's public id.
    #[serde(default)]
    application: String,
    #[serde(default)]
    offset: u64,
}

/// A row of the list.
pub struct Row {
    pub a: AccountRowView,
    pub application: String,
}

#[derive(Template)]
#[template(path = "md_accounts.html")]
struct ListPage {
    ctx: Ctx,
    tab: &'static str,
    f: AccountsQuery,
    apps: Vec<ApplicationView>,
    rows: Vec<Row>,
    pager: Pager,
    error: Option<String>,
}

/// The name of the application with public id `id`.
fn name_of(apps: &[ApplicationView], id: &str) -> String {
    apps.iter().find(|a| a.id == id).map(|a| a.name.clone()).unwrap_or_else(|| id.to_owned())
}

/// `GET /admin/market-data/accounts`.
pub async fn list_page(
    State(web): State<Web>,
    staff: Staff,
    Query(f): Query<AccountsQuery>,
) -> Result<Response, WebError> {
    let who = staff.principal();
    let apps = applications::list(&web.app, who, 0, 500).await?;
    let q = AccountQuery { application: Some(f.application.as_str()), email: Some(f.q.as_str()) };
    let (rows, total, error) = match admin_accounts::list(&web.app, who, q, f.offset, LIMIT).await {
        Ok(p) => (p.rows, p.total, None),
        Err(e) if is_form_error(&e) => (vec![], 0, Some(e.public_message())),
        Err(e) => return Err(e.into()),
    };
    let rows: Vec<Row> = rows
        .into_iter()
        .map(|(a, app_id)| Row { application: name_of(&apps, &app_id), a })
        .collect();
    let query =
        vec![("q".to_owned(), f.q.clone()), ("application".to_owned(), f.application.clone())];
    let pager =
        Pager::new("/admin/market-data/accounts", &query, f.offset, LIMIT, rows.len(), total);
    html(&ListPage {
        ctx: Ctx::new(&staff, "Market data: accounts", "market_data"),
        tab: TAB,
        f,
        apps,
        rows,
        pager,
        error,
    })
}

#[derive(Template)]
#[template(path = "md_account.html")]
struct AccountPage {
    ctx: Ctx,
    tab: &'static str,
    d: AccountDetail,
    application: String,
    /// The confirmed personal data, field by field.
    personal: Vec<(String, String)>,
}

/// `(field, value)` of a JSON object's string fields.
fn fields_of(json: Option<&str>) -> Vec<(String, String)> {
    let Some(v) = json.and_then(|j| serde_json::from_str::<serde_json::Value>(j).ok()) else {
        return vec![];
    };
    v.as_object()
        .map(|o| {
            o.iter().filter_map(|(k, v)| v.as_str().map(|s| (k.clone(), s.to_owned()))).collect()
        })
        .unwrap_or_default()
}

/// `GET /admin/market-data/accounts/{id}`.
pub async fn page(
    State(web): State<Web>,
    staff: Staff,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let who = staff.principal();
    let d = admin_accounts::get(&web.app, who, &id).await?;
    let application = applications::get(&web.app, who, &d.application_id)
        .await
        .map(|a| a.name)
        .unwrap_or_else(|_| d.application_id.clone());
    let personal = fields_of(d.account.personal.as_deref().or(Some(d.account.metadata.as_str())));
    html(&AccountPage {
        ctx: Ctx::new(&staff, format!("Market-data account {}", d.account.email), "market_data"),
        tab: TAB,
        application,
        personal,
        d,
    })
}
