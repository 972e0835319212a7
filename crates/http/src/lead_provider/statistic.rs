//! `GET /proxy/statistic/api/partner/{partnerID}/accounts/view/for-lead-provider` (seed 000
//! "Getting all leads"): the caller's own leads as a Spring-style page.

use axum::extract::{Path, State};
use brokercrm_app::App;
use brokercrm_app::distribution::lead_provider::{self as lp, AccountPage, AccountView, ListQuery};
use brokercrm_core::Error;
use brokercrm_core::error::Violations;
use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::error::{LpErrorBody, LpResult};
use super::{LpQuery, ProviderAuth, TAG};

/// One lead of the provider.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct LeadAccountDto {
    /// The lead's UUID (as returned by "Creating lead").
    pub uuid: String,
    pub email: Option<String>,
    pub name: Option<String>,
    pub surname: Option<String>,
    pub phone: Option<String>,
    /// ISO 3166-1 alpha-2, when known.
    pub country: Option<String>,
    /// `ACCEPTED`, `REJECTED`, `ROUTING` (still being delivered) or `UNKNOWN` (delivery
    /// interrupted; being reconciled).
    #[schema(example = "ACCEPTED")]
    pub status: String,
    /// For rejected leads: the error type (seed 001's names, e.g. `ROTATION_ERROR`).
    pub error_type: Option<String>,
    /// For rejected leads: why.
    pub error_message: Option<String>,
    /// The `leadInfo.leadSource` sent with the lead.
    pub lead_source: Option<String>,
    pub offer_uuid: Option<String>,
    /// When the lead was received, RFC 3339 UTC.
    #[schema(example = "2023-10-30T13:01:04.489Z")]
    pub created: String,
}

/// A page of leads, in Spring Data's page shape.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct LeadAccountPage {
    pub content: Vec<LeadAccountDto>,
    /// Leads matching the filters, all pages.
    pub total_elements: u64,
    pub total_pages: u64,
    /// Page size asked for.
    pub size: u64,
    /// This page's number, from 0.
    pub number: u64,
    /// Leads on this page.
    pub number_of_elements: u64,
    pub first: bool,
    pub last: bool,
    pub empty: bool,
}

/// The query of "Getting all leads": parsed and documented by this one type; a bad value is
/// a 400 naming its field.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// Text searched in e-mail, names and phone.
    query: Option<String>,
    /// Received at or after, RFC 3339 (e.g. `2019-12-11T00:00:00Z`).
    from: Option<String>,
    /// Received at or before, RFC 3339.
    to: Option<String>,
    /// Page size, 1-1000 (default 20).
    size: Option<u64>,
    /// Page number from 0 (default 0).
    page: Option<u64>,
}

/// Lists the caller's own leads, newest first. `partnerID` must be the token's partner id.
#[utoipa::path(
    get,
    path = "/proxy/statistic/api/partner/{partnerID}/accounts/view/for-lead-provider",
    tag = TAG,
    summary = "Getting all leads",
    security(("BearerAuth" = [])),
    params(
        ("partnerID" = i64, Path, description = "The caller's partner id (from the token response)"),
        ListParams
    ),
    responses(
        (status = 200, description = "The caller's leads, newest first", body = LeadAccountPage),
        (status = 400, description = "A bad parameter, named in the message", body = LpErrorBody),
        (status = 401, description = "Missing, wrong or expired token", body = LpErrorBody),
        (status = 403, description = "`partnerID` is not the token's partner", body = LpErrorBody)
    )
)]
pub async fn get_leads(
    State(app): State<App>,
    ProviderAuth(provider): ProviderAuth,
    Path(partner): Path<String>,
    LpQuery(params): LpQuery<ListParams>,
) -> LpResult<axum::Json<LeadAccountPage>> {
    let partner_id = partner
        .trim()
        .parse::<i64>()
        .map_err(|_| Error::field("partnerID", "must be an integer"))?;
    let q = list_query(params)?;
    let page = lp::list_accounts(&app, &provider, partner_id, q).await?;
    Ok(axum::Json(dto(page)))
}

/// The use case's query: the dates checked, each bad one named.
fn list_query(p: ListParams) -> Result<ListQuery, Error> {
    let mut v = Violations::new();
    let mut time = |field: &str, s: Option<String>| match blank(s) {
        None => None,
        Some(s) => match DateTime::parse_from_rfc3339(&s) {
            Ok(t) => Some(t.with_timezone(&Utc)),
            Err(_) => {
                v.push(field, "must be an RFC 3339 date-time, e.g. 2019-12-11T00:00:00Z");
                None
            }
        },
    };
    let from = time("from", p.from);
    let to = time("to", p.to);
    v.finish()?;
    Ok(ListQuery { query: blank(p.query), from, to, size: p.size, page: p.page })
}

fn blank(s: Option<String>) -> Option<String> {
    s.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty())
}

fn dto(p: AccountPage) -> LeadAccountPage {
    let n = p.content.len() as u64;
    let total_pages = p.total_elements.div_ceil(p.size.max(1));
    LeadAccountPage {
        content: p.content.into_iter().map(item).collect(),
        total_elements: p.total_elements,
        total_pages,
        size: p.size,
        number: p.number,
        number_of_elements: n,
        first: p.number == 0,
        last: p.number.saturating_add(1) >= total_pages,
        empty: n == 0,
    }
}

fn item(a: AccountView) -> LeadAccountDto {
    LeadAccountDto {
        uuid: a.uuid,
        email: a.email,
        name: a.name,
        surname: a.surname,
        phone: a.phone,
        country: a.country,
        status: a.status,
        error_type: a.error_type,
        error_message: a.error_message,
        lead_source: a.lead_source,
        offer_uuid: a.offer_uuid,
        created: a.created.to_rfc3339_opts(SecondsFormat::Millis, true),
    }
}
