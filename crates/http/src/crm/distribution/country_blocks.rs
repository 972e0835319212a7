//! Blocked countries, for every offer or for one.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use brokercrm_app::App;
use brokercrm_app::distribution::country_blocks::{self, CountryBlockView};
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::wire::PageQuery;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{Auth, Json, StrictQuery};

/// Body of "Create country block".
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CreateCountryBlock {
    /// ISO-2.
    #[schema(example = "US")]
    pub country: String,
    /// Only for this offer; absent: every offer.
    pub offer_uuid: Option<String>,
}

/// Lists country blocks by id (ReadLeadDistribution).
#[utoipa::path(
    get, path = "/api/lead-distribution/country-blocks", tag = "Lead Distribution",
    summary = "List country blocks",
    params(PageQuery),
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "Country blocks", body = [CountryBlockView]),
        (status = 403, description = "Not allowed", body = ErrorBody),
        (status = 422, description = "Bad `limit` or `offset`", body = ErrorBody)
    )
)]
pub async fn list_country_blocks(
    State(app): State<App>,
    Auth(p): Auth,
    StrictQuery(q): StrictQuery<PageQuery>,
) -> ApiResult<axum::Json<Vec<CountryBlockView>>> {
    let page = q.page()?;
    let rows = country_blocks::list(&app, &p, page).await?;
    Ok(axum::Json(rows))
}

/// Blocks a country (ManageLeadDistribution); an identical block is a 409. Audited.
#[utoipa::path(
    post, path = "/api/lead-distribution/country-blocks", tag = "Lead Distribution",
    summary = "Create country block",
    request_body = CreateCountryBlock,
    security(("BearerAuth" = [])),
    responses(
        (status = 201, description = "Created", body = CountryBlockView),
        (status = 403, description = "Not allowed", body = ErrorBody),
        (status = 409, description = "Already blocked", body = ErrorBody),
        (status = 422, description = "Invalid `country` or `offerUuid`", body = ErrorBody)
    )
)]
pub async fn create_country_block(
    State(app): State<App>,
    Auth(p): Auth,
    Json(b): Json<CreateCountryBlock>,
) -> ApiResult<(StatusCode, axum::Json<CountryBlockView>)> {
    let block = country_blocks::create(&app, &p, &b.country, b.offer_uuid.as_deref()).await?;
    Ok((StatusCode::CREATED, axum::Json(block)))
}

/// Lifts a country block (ManageLeadDistribution). Audited.
#[utoipa::path(
    delete, path = "/api/lead-distribution/country-blocks/{id}", tag = "Lead Distribution",
    summary = "Delete country block",
    params(("id" = i64, Path, description = "Id of the block")),
    security(("BearerAuth" = [])),
    responses(
        (status = 204, description = "Deleted"),
        (status = 403, description = "Not allowed", body = ErrorBody),
        (status = 404, description = "Unknown block", body = ErrorBody)
    )
)]
pub async fn delete_country_block(
    State(app): State<App>,
    Auth(p): Auth,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    let id = id.parse::<i64>().map_err(|_| brokercrm_core::Error::NotFound("country block"))?;
    country_blocks::delete(&app, &p, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .routes(routes!(list_country_blocks, create_country_block))
        .routes(routes!(delete_country_block))
}
