//! Seed 002 tag Countries: the public country list and enabling/disabling a country.

use axum::Json;
use axum::extract::{Path, State};
use brokercrm_app::App;
use brokercrm_app::platform::countries::{self, Country};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{ApiResult, ErrorBody};
use crate::extract::{Auth, Json as JsonBody};

/// A country.
#[derive(Serialize, ToSchema)]
pub struct CountryDto {
    /// ISO 3166-1 alpha-2 code.
    #[schema(example = "DE")]
    pub id: String,
    #[schema(example = "Germany")]
    pub name: String,
    /// Disabled countries are refused on sign-up and lead intake.
    pub enabled: bool,
}

impl From<Country> for CountryDto {
    fn from(c: Country) -> Self {
        Self { id: c.id, name: c.name, enabled: c.enabled }
    }
}

/// Every country, sorted by name.
#[derive(Serialize, ToSchema)]
pub struct CountriesResponse {
    pub countries: Vec<CountryDto>,
}

/// Body of "Update a country".
#[derive(Deserialize, ToSchema)]
pub struct UpdateCountryRequest {
    /// `true` enables the country, `false` disables it.
    pub toggle: bool,
}

/// The updated country.
#[derive(Serialize, ToSchema)]
pub struct CountryResponse {
    pub country: CountryDto,
}

/// Lists all 249 ISO 3166-1 countries with their enabled flag (public).
#[utoipa::path(
    get,
    path = "/api/countries",
    tag = "Countries",
    summary = "Get all countries",
    responses((status = 200, description = "All countries, sorted by name", body = CountriesResponse))
)]
pub async fn list_countries(State(app): State<App>) -> ApiResult<Json<CountriesResponse>> {
    let countries = countries::list(&app).await?.into_iter().map(CountryDto::from).collect();
    Ok(Json(CountriesResponse { countries }))
}

/// Enables or disables a country (ManageCountries; audited).
#[utoipa::path(
    put,
    path = "/api/countries/{id}",
    tag = "Countries",
    summary = "Update a country",
    params(("id" = String, Path, description = "ISO 3166-1 alpha-2 code (case-insensitive)")),
    request_body = UpdateCountryRequest,
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "The updated country", body = CountryResponse),
        (status = 400, description = "Malformed body (field `toggle`)", body = ErrorBody),
        (status = 403, description = "Missing ManageCountries permission", body = ErrorBody),
        (status = 404, description = "Unknown country code", body = ErrorBody)
    )
)]
pub async fn update_country(
    State(app): State<App>,
    Auth(actor): Auth,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<UpdateCountryRequest>,
) -> ApiResult<Json<CountryResponse>> {
    let country = countries::set_enabled(&app, &actor, &id, body.toggle).await?;
    Ok(Json(CountryResponse { country: country.into() }))
}

pub fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new().routes(routes!(list_countries)).routes(routes!(update_country))
}
