//! Seed 002 tag "Customers - Affiliate APIs" under `/api/affiliates/...`: an affiliate
//! creates customers, and lists, shows, updates, counts and exports (CSV, streamed) only its
//! own referrals; its wallet and transactions come from the ledger.

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::Response;
use brokercrm_app::platform::exports;
use brokercrm_app::sales::Page;
use brokercrm_app::sales::customers::affiliate::{
    self, ReferralInput, ReferralQuery, ReferralView,
};
use brokercrm_app::sales::customers::wallet;
use brokercrm_app::{App, Principal};
use brokercrm_core::Error;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::crm::money::wallets::dto::WalletDto;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{Auth, Json, Query};

/// "AffiliateCreateCustomer".
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AffiliateCreateRequest {
    /// Your id for the customer (unique among your customers); query it with `externalId`.
    pub external_id: Option<String>,
    pub firstname: Option<String>,
    pub lastname: Option<String>,
    pub mobilenumber: Option<String>,
    pub email: Option<String>,
    pub wtreferrer: Option<String>,
    /// ISO-2 country.
    pub country: Option<String>,
    /// Optional: generated (and returned once as `password`) when absent.
    pub password: Option<String>,
    /// ISO 639-1.
    pub communication_language: Option<String>,
    /// `SignupDemoForm`, `SignupRealForm`, `CompleteAccountBeforeDepositForm`,
    /// `CompleteAccountBeforeWithdrawalForm`, `EmailConfirmation`, `KYC`,
    /// `PhoneConfirmation`, `DisclaimerBeforeDeposit`.
    pub skip_onboarding_steps: Option<Vec<String>>,
    pub source: Option<String>,
}

/// The created customer and its links.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AffiliateCreateResponse {
    /// The portal's onboarding page.
    pub redirect_url: String,
    /// Exchange at `POST /api/sessions/refresh` for an access token of the customer.
    pub refresh_token: String,
    /// The customer's public id.
    pub id: String,
    pub success: bool,
    /// Single-use, expiring link that logs the customer in and opens the deposit page.
    pub deposit_url: String,
    /// The generated password, only when none was sent (shown once).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
}

/// Creates a customer referred by the caller.
#[utoipa::path(
    post, path = "/api/affiliates/customers", tag = "Customers - Affiliate APIs",
    summary = "AffiliateCreateCustomer",
    request_body = AffiliateCreateRequest,
    security(("BearerAuthApiKey" = [])),
    responses(
        (status = 201, description = "Created", body = AffiliateCreateResponse),
        (status = 403, description = "Not an affiliate", body = ErrorBody),
        (status = 409, description = "E-mail registered, or `externalId` used", body = ErrorBody),
        (status = 422, description = "An invalid field, named", body = ErrorBody)
    )
)]
pub async fn affiliate_create_customer(
    State(app): State<App>,
    Auth(p): Auth,
    Json(b): Json<AffiliateCreateRequest>,
) -> ApiResult<(StatusCode, axum::Json<AffiliateCreateResponse>)> {
    let c = affiliate::create(
        &app,
        &p,
        ReferralInput {
            external_id: b.external_id,
            firstname: b.firstname,
            lastname: b.lastname,
            mobilenumber: b.mobilenumber,
            email: b.email,
            wtreferrer: b.wtreferrer,
            country: b.country,
            password: b.password,
            communication_language: b.communication_language,
            skip_onboarding_steps: b.skip_onboarding_steps,
            source: b.source,
        },
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        axum::Json(AffiliateCreateResponse {
            redirect_url: c.redirect_url,
            refresh_token: c.refresh_token,
            id: c.user.uuid,
            success: true,
            deposit_url: c.deposit_url,
            password: c.generated_password,
        }),
    ))
}

/// Query of "AffiliateGetCustomers" (the seed marks limit, offset and orderBy required; each
/// has a default).
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(rename_all = "camelCase")]
pub struct AffiliateCustomersQuery {
    /// 1 to 200 (default 50).
    #[param(value_type = Option<u32>)]
    pub limit: Option<i64>,
    #[param(value_type = Option<u32>)]
    pub offset: Option<i64>,
    /// `column|ASC` or `column|DESC`; columns `name`, `email`, `country`, `createdAt`
    /// (default, newest first), `updatedAt`, `accountId`.
    #[param(example = "name|ASC")]
    pub order_by: Option<String>,
    /// Part of the name, e-mail or phone, or the account id.
    pub search: Option<String>,
    /// Your id of the customer.
    pub external_id: Option<String>,
    /// Updated since (e.g. 2023-09-13, or RFC 3339).
    pub updated_since: Option<String>,
    /// Updated up to (a date includes the whole day).
    pub updated_to: Option<String>,
    pub sources: Option<Vec<String>>,
}

/// `{"pages", "customers"}`.
#[derive(Debug, Serialize, ToSchema)]
pub struct AffiliateCustomersResponse {
    /// Pages of `limit` customers.
    pub pages: u64,
    pub customers: Vec<ReferralView>,
}

/// The caller's referrals.
#[utoipa::path(
    get, path = "/api/affiliates/customers", tag = "Customers - Affiliate APIs",
    summary = "AffiliateGetCustomers",
    params(AffiliateCustomersQuery),
    security(("BearerAuthApiKey" = [])),
    responses(
        (status = 200, description = "A page of referrals", body = AffiliateCustomersResponse),
        (status = 403, description = "Not an affiliate", body = ErrorBody),
        (status = 422, description = "A bad parameter, named", body = ErrorBody)
    )
)]
pub async fn affiliate_get_customers(
    State(app): State<App>,
    Auth(p): Auth,
    Query(q): Query<AffiliateCustomersQuery>,
) -> ApiResult<axum::Json<AffiliateCustomersResponse>> {
    let query = ReferralQuery {
        limit: q.limit,
        offset: q.offset,
        order_by: q.order_by,
        search: q.search,
        external_id: q.external_id,
        updated_since: q.updated_since,
        updated_to: q.updated_to,
        sources: q.sources.unwrap_or_default(),
    };
    let (rows, pages) = affiliate::list(&app, &p, &query).await?;
    Ok(axum::Json(AffiliateCustomersResponse { pages, customers: rows.into_iter().collect() }))
}

/// "AffiliateUpdateCustomer".
#[derive(Debug, Deserialize, ToSchema)]
pub struct AffiliateUpdateRequest {
    pub source: Option<String>,
    /// Your notes on the customer (empty clears them).
    pub notes: Option<String>,
}

/// `{"customer": {...}}`.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReferralResponse {
    pub customer: ReferralView,
}

/// Updates `source` and `notes` of a referral.
#[utoipa::path(
    put, path = "/api/affiliates/customers/{id}", tag = "Customers - Affiliate APIs",
    summary = "AffiliateUpdateCustomer",
    params(("id" = String, Path, description = "The customer's public id")),
    request_body = AffiliateUpdateRequest,
    security(("BearerAuthApiKey" = [])),
    responses(
        (status = 200, description = "Updated", body = ReferralResponse),
        (status = 403, description = "Not an affiliate", body = ErrorBody),
        (status = 404, description = "Unknown, or not the caller's referral", body = ErrorBody),
        (status = 422, description = "An invalid field, named", body = ErrorBody)
    )
)]
pub async fn affiliate_update_customer(
    State(app): State<App>,
    Auth(p): Auth,
    Path(id): Path<String>,
    Json(b): Json<AffiliateUpdateRequest>,
) -> ApiResult<axum::Json<ReferralResponse>> {
    let c = affiliate::update(&app, &p, &id, b.source, b.notes).await?;
    Ok(axum::Json(ReferralResponse { customer: c }))
}

/// One referral.
#[utoipa::path(
    get, path = "/api/affiliates/customers/{id}", tag = "Customers - Affiliate APIs",
    summary = "Show",
    params(("id" = String, Path, description = "The customer's public id")),
    security(("BearerAuthApiKey" = [])),
    responses(
        (status = 200, description = "The referral", body = ReferralResponse),
        (status = 403, description = "Not an affiliate", body = ErrorBody),
        (status = 404, description = "Unknown, or not the caller's referral", body = ErrorBody)
    )
)]
pub async fn affiliate_show_customer(
    State(app): State<App>,
    Auth(p): Auth,
    Path(id): Path<String>,
) -> ApiResult<axum::Json<ReferralResponse>> {
    Ok(axum::Json(ReferralResponse { customer: affiliate::show(&app, &p, &id).await? }))
}

/// `{"count"}`.
#[derive(Debug, Serialize, ToSchema)]
pub struct CountResponse {
    pub count: u64,
}

/// How many referrals an export would hold.
#[utoipa::path(
    get, path = "/api/affiliates/customers/count", tag = "Customers - Affiliate APIs",
    summary = "CountForExport",
    security(("BearerAuthApiKey" = [])),
    responses(
        (status = 200, description = "The count", body = CountResponse),
        (status = 403, description = "Not an affiliate", body = ErrorBody)
    )
)]
pub async fn affiliate_count_customers(
    State(app): State<App>,
    Auth(p): Auth,
) -> ApiResult<axum::Json<CountResponse>> {
    Ok(axum::Json(CountResponse { count: affiliate::count(&app, &p).await? }))
}

/// Columns of the export, in order.
pub const CSV_HEADER: [&str; 16] = [
    "id",
    "accountId",
    "externalId",
    "firstname",
    "lastname",
    "email",
    "mobilenumber",
    "country",
    "source",
    "notes",
    "status",
    "kycStatus",
    "hasFTD",
    "depositCount",
    "createdAt",
    "updatedAt",
];

/// Rows fetched per page of the export.
const EXPORT_PAGE: u64 = 500;

/// One page of the export through the one CSV writer (cells escaped against formulas).
fn csv_rows(rows: &[ReferralView], header: bool) -> Result<Vec<u8>, Error> {
    let time =
        |t: &chrono::DateTime<chrono::Utc>| t.to_rfc3339_opts(chrono::SecondsFormat::Micros, true);
    let records = rows.iter().map(|r| {
        [
            r.id.clone(),
            r.account_id.clone(),
            r.external_id.clone().unwrap_or_default(),
            r.firstname.clone().unwrap_or_default(),
            r.lastname.clone().unwrap_or_default(),
            r.email.clone(),
            r.mobilenumber.clone().unwrap_or_default(),
            r.country.clone().unwrap_or_default(),
            r.source.clone().unwrap_or_default(),
            r.notes.clone().unwrap_or_default(),
            r.status.clone(),
            r.kyc_status.clone(),
            if r.has_ftd { "true" } else { "false" }.to_owned(),
            r.deposit_count.to_string(),
            time(&r.created_at),
            time(&r.updated_at),
        ]
    });
    exports::csv::write_rows(header.then_some(&CSV_HEADER[..]), records)
}

/// The caller's referrals as CSV (RFC 4180, CRLF, header row), streamed page by page.
#[utoipa::path(
    get, path = "/api/affiliates/customers/export", tag = "Customers - Affiliate APIs",
    summary = "ExportCSV",
    security(("BearerAuthApiKey" = [])),
    responses(
        (status = 200, description = "CSV of the referrals", content_type = "text/csv", body = String),
        (status = 403, description = "Not an affiliate", body = ErrorBody)
    )
)]
pub async fn affiliate_export_customers(
    State(app): State<App>,
    Auth(p): Auth,
) -> ApiResult<Response> {
    // The first page is read before answering, so a refused caller gets a proper error.
    let first = affiliate::export_page(&app, &p, 0, EXPORT_PAGE).await?;
    let head = csv_rows(&first, true)?;
    let after = first.last().and_then(|r| r.account_id.parse::<i64>().ok());
    let more = first.len() as u64 == EXPORT_PAGE;
    let state = (app, p, if more { after } else { None });
    let rest = futures_util::stream::unfold(
        state,
        |(app, p, after): (App, Principal, Option<i64>)| async move {
            let after = after?;
            match affiliate::export_page(&app, &p, after, EXPORT_PAGE).await {
                Ok(rows) if rows.is_empty() => None,
                Ok(rows) => {
                    let next = if rows.len() as u64 == EXPORT_PAGE {
                        rows.last().and_then(|r| r.account_id.parse::<i64>().ok())
                    } else {
                        None
                    };
                    let chunk = csv_rows(&rows, false).map_err(std::io::Error::other);
                    Some((chunk.map(bytes::Bytes::from), (app, p, next)))
                }
                Err(e) => {
                    tracing::error!(error = %e, "customer export failed mid-stream");
                    Some((Err(std::io::Error::other("export failed")), (app, p, None)))
                }
            }
        },
    );
    let head =
        futures_util::stream::once(
            async move { Ok::<_, std::io::Error>(bytes::Bytes::from(head)) },
        );
    let body = Body::from_stream(futures_util::StreamExt::chain(head, rest));
    Response::builder()
        .status(StatusCode::OK)
        .header(header::CONTENT_TYPE, exports::csv::CONTENT_TYPE)
        .header(header::CONTENT_DISPOSITION, "attachment; filename=\"customers.csv\"")
        .body(body)
        .map_err(|e| Error::internal(e).into())
}

/// Query of "Get affiliate wallet and transactions".
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct WalletQuery {
    /// Transactions per page, 1 to 200 (default 50).
    #[param(value_type = Option<u32>)]
    pub limit: Option<i64>,
    #[param(value_type = Option<u32>)]
    pub offset: Option<i64>,
}

/// `{"wallet", "transactions"}`.
#[derive(Serialize, ToSchema)]
pub struct AffiliateWalletResponse {
    /// The affiliate's wallet with its balance; null without one.
    pub wallet: Option<WalletDto>,
    /// Newest first.
    pub transactions: Vec<brokercrm_app::money::wallets::views::TransactionView>,
    /// Pages of `limit` transactions.
    pub pages: u64,
}

/// The affiliate's wallet balance and transaction history from the ledger.
#[utoipa::path(
    get, path = "/api/affiliates/wallet", tag = "Customers - Affiliate APIs",
    summary = "Get affiliate wallet and transactions",
    params(WalletQuery),
    security(("BearerAuthApiKey" = [])),
    responses(
        (status = 200, description = "Wallet and transactions", body = AffiliateWalletResponse),
        (status = 403, description = "Not an affiliate", body = ErrorBody),
        (status = 422, description = "Bad `limit` or `offset`", body = ErrorBody)
    )
)]
pub async fn get_affiliate_wallet(
    State(app): State<App>,
    Auth(p): Auth,
    Query(q): Query<WalletQuery>,
) -> ApiResult<axum::Json<AffiliateWalletResponse>> {
    let pg = Page::new(q.limit, q.offset)?;
    let (w, txs, total) = wallet::of_affiliate(&app, &p, pg).await?;
    Ok(axum::Json(AffiliateWalletResponse {
        wallet: w.map(Into::into),
        transactions: txs,
        pages: pg.pages(total),
    }))
}
