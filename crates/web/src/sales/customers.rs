//! Customers: the list ("List customers": search, country, KYC status, sort, paging, all in
//! the URL) and a customer's 360° page — profile, KYC and documents, wallets and balances,
//! deposits, comments (with a form) and communications — each part through the API's use
//! case, so a role sees only what that use case lets it see.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use brokercrm_app::money::wallets::WalletView;
use brokercrm_app::money::wallets::admin::{self as wallets, ListQuery};
use brokercrm_app::sales::comments::{self, CommentView};
use brokercrm_app::sales::communications::{self, CommunicationView};
use brokercrm_app::sales::customers::documents::{self, DocumentView};
use brokercrm_app::sales::customers::list::{self, ListParams};
use brokercrm_app::sales::customers::views::CustomerView;
use brokercrm_app::sales::{Page, customers};
use serde::Deserialize;

use brokercrm_app::identity::impersonation;
use brokercrm_app::money::transactions::list::{self as tx_list, FilterInput};
use brokercrm_app::money::transactions::views::TransactionView;
use brokercrm_app::platform::activities::{self, Activity};
use brokercrm_app::platform::settings;

use crate::Web;
use crate::error::{WebError, html, html_status};
use crate::form::{FieldErrors, Posted, is_form_error};
use crate::layout::{Ctx, DoneQuery, notice};
use crate::list::{Pager, url};
use crate::session::Staff;

const LIMIT: u64 = 50;

#[derive(Deserialize, Default)]
pub struct CustomersQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    country: String,
    #[serde(default)]
    kyc: String,
    #[serde(default)]
    sort: String,
    #[serde(default)]
    offset: u64,
}

#[derive(Template)]
#[template(path = "customers.html")]
struct CustomersPage {
    ctx: Ctx,
    f: CustomersQuery,
    rows: Vec<CustomerView>,
    pager: Pager,
    error: Option<String>,
    sort_name: String,
    sort_created: String,
}

/// `GET /admin/customers`.
pub async fn list_page(
    State(web): State<Web>,
    staff: Staff,
    Query(f): Query<CustomersQuery>,
) -> Result<Response, WebError> {
    let some = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
    let params = ListParams {
        offset: Some(i64::try_from(f.offset).unwrap_or(i64::MAX)),
        limit: Some(LIMIT as i64),
        search: some(&f.q),
        sort_by: some(&f.sort),
        country: some(&f.country),
        selected_kyc_statuses: some(&f.kyc).into_iter().collect(),
        ..Default::default()
    };
    let (rows, total, error) = match list::list(&web.app, staff.principal(), &params).await {
        Ok((rows, total)) => (rows, total, None),
        Err(e) if is_form_error(&e) => (vec![], 0, Some(e.public_message())),
        Err(e) => return Err(e.into()),
    };
    let query = vec![
        ("q".to_owned(), f.q.clone()),
        ("country".to_owned(), f.country.clone()),
        ("kyc".to_owned(), f.kyc.clone()),
    ];
    let with_sort = |s: &str| {
        let mut q = query.clone();
        q.push(("sort".into(), s.into()));
        url("/admin/customers", &q)
    };
    let sort_name = with_sort(if f.sort == "name|ASC" { "name|DESC" } else { "name|ASC" });
    let sort_created =
        with_sort(if f.sort == "createdAt|ASC" { "createdAt|DESC" } else { "createdAt|ASC" });
    let mut paged = query.clone();
    paged.push(("sort".into(), f.sort.clone()));
    let pager = Pager::new("/admin/customers", &paged, f.offset, LIMIT, rows.len(), total);
    html(&CustomersPage {
        ctx: Ctx::new(&staff, "Customers", "customers"),
        f,
        rows,
        pager,
        error,
        sort_name,
        sort_created,
    })
}

#[derive(Template)]
#[template(path = "customer.html")]
struct CustomerPage {
    ctx: Ctx,
    c: CustomerView,
    wallets: Vec<WalletView>,
    documents: Vec<DocumentView>,
    comments: Vec<CommentView>,
    history: Vec<CommunicationView>,
    /// The customer's latest transactions (`None`: the role may not read them).
    transactions: Option<Vec<TransactionView>>,
    /// The audit log's entries about the customer (`None`: the role may not read it).
    activity: Option<Vec<Activity>>,
    can_impersonate: bool,
    /// Links from each wallet to its positions (ReadPositions) and a new one (ManagePositions).
    can_read_positions: bool,
    can_open_position: bool,
    errors: FieldErrors,
    comment: String,
}

async fn render(
    web: &Web,
    staff: &Staff,
    id: &str,
    done: Option<&str>,
    errors: FieldErrors,
    comment: String,
    code: StatusCode,
) -> Result<Response, WebError> {
    let who = staff.principal();
    let c = customers::get(&web.app, who, id).await?;
    let page = || Page::new(Some(50), Some(0));
    // Parts the role may not read are left out (their use cases refuse them).
    let account = c.account_id.parse::<i64>().ok();
    let wallets = match account {
        Some(id) => wallets::list(
            &web.app,
            who,
            ListQuery { customer_id: Some(id), ..Default::default() },
            brokercrm_app::money::wallets::Page::new(Some(100), Some(0))?,
        )
        .await
        .map(|(all, _)| all)
        .unwrap_or_default(),
        None => Vec::new(),
    };
    let documents = documents::list(&web.app, who, id).await.unwrap_or_default();
    let comments = comments::list(&web.app, who, id, page()?).await.unwrap_or_default();
    let history =
        communications::list(&web.app, who, id, page()?).await.map(|(h, _)| h).unwrap_or_default();
    let params = activities::ListParams {
        limit: Some("20".into()),
        offset: Some("0".into()),
        filter: Some(serde_json::json!({ "entityId": c.id }).to_string()),
    };
    let activity = activities::list(&web.app, who, &params).await.ok().map(|(a, _)| a);
    let can_impersonate = who.role.can(brokercrm_core::Permission::ImpersonateCustomer);
    let can_read_positions = who.role.can(brokercrm_core::Permission::ReadPositions);
    let can_open_position = who.role.can(brokercrm_core::Permission::ManagePositions);
    let mine = FilterInput { customer_id: account, ..Default::default() };
    let transactions = match mine.customer_id {
        Some(_) => tx_list::list(&web.app, who, &mine, 20, 0).await.ok().map(|(t, _)| t),
        None => None,
    };
    let title = c.name.clone();
    html_status(
        code,
        &CustomerPage {
            ctx: Ctx::new(staff, title, "customers").notice(notice(done)),
            c,
            wallets,
            documents,
            comments,
            history,
            transactions,
            activity,
            can_impersonate,
            can_read_positions,
            can_open_position,
            errors,
            comment,
        },
    )
}

/// `GET /admin/customers/{id}`.
pub async fn page(
    State(web): State<Web>,
    staff: Staff,
    Path(id): Path<String>,
    Query(q): Query<DoneQuery>,
) -> Result<Response, WebError> {
    render(
        &web,
        &staff,
        &id,
        q.done.as_deref(),
        FieldErrors::default(),
        String::new(),
        StatusCode::OK,
    )
    .await
}

#[derive(Deserialize)]
pub struct CommentForm {
    #[serde(default)]
    comment: String,
}

/// `POST /admin/customers/{id}/comment`.
pub async fn comment(
    State(web): State<Web>,
    staff: Staff,
    Path(id): Path<String>,
    Posted(f): Posted<CommentForm>,
) -> Result<Response, WebError> {
    match comments::create(&web.app, staff.principal(), &id, Some(&f.comment)).await {
        Ok(_) => Ok(Redirect::to(&format!("/admin/customers/{id}?done=comment")).into_response()),
        Err(e) if is_form_error(&e) => {
            let errors = FieldErrors::from_error(&e, &[("comment", "comment")]);
            render(&web, &staff, &id, None, errors, f.comment, StatusCode::UNPROCESSABLE_ENTITY)
                .await
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /admin/customers/{id}/impersonate`: a short-lived access token acting as the customer
/// (audited; every write made with it is audited too), shown once with a link into the client
/// portal when `portal.url` is set.
pub async fn impersonate(
    State(web): State<Web>,
    staff: Staff,
    Path(id): Path<String>,
    Posted(_): Posted<crate::form::Empty>,
) -> Result<Response, WebError> {
    let who = staff.principal();
    let (customer, token) = impersonation::impersonate(&web.app, who, &id).await?;
    let portal = settings::get(&web.app, Some(who), "portal.url").await.ok().flatten();
    let ctx = Ctx::new(&staff, format!("Acting as {}", customer.email), "customers");
    let mut page = crate::resource::ResourcePage::new(ctx)
        .back(format!("/admin/customers/{id}"), "The customer")
        .intro("The token acts as the customer until it expires; it cannot change the e-mail or password, withdraw, transfer or create API keys.")
        .secret(format!("Access token acting as {}", customer.email), token.clone());
    if let Some(url) = portal {
        page = page.link(
            "Open the client portal as the customer",
            format!("{}#impersonation={token}", url.trim_end_matches('/')),
        );
    }
    page.render()
}
