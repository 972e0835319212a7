//! Seed 002 tag Exchange Rate: rates between currency pairs with their source (staff), and
//! the quote for a payment method (any signed-in user). Rates travel as JSON numbers of at
//! most 15 significant digits, which a double carries exactly; a decimal string is accepted
//! too.

use std::fmt;

use axum::Json;
use axum::extract::{Path, State};
use brokercrm_app::App;
use brokercrm_app::money::fx::rates::{self, QuoteQuery, RateInput, RateView, RawRate};
use brokercrm_core::money::fx::Rate;
use brokercrm_core::{Currency, Money};
use chrono::{DateTime, Utc};
use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{ApiResult, ErrorBody};
use crate::extract::{Auth, Json as JsonBody, Query};

/// A rate as a JSON number (exact: at most 15 significant digits).
fn rate_number<S: Serializer>(r: &Rate, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_f64(r.to_f64())
}

/// A rate from a JSON number or a decimal string.
fn raw_rate<'de, D: Deserializer<'de>>(d: D) -> Result<Option<RawRate>, D::Error> {
    struct V;
    impl<'de> Visitor<'de> for V {
        type Value = Option<RawRate>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a number or a decimal string")
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
            Ok(Some(RawRate::Number(v)))
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
            Ok(Some(RawRate::Text(v.to_string())))
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
            Ok(Some(RawRate::Text(v.to_string())))
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            Ok(Some(RawRate::Text(v.to_owned())))
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
    }
    d.deserialize_any(V)
}

/// An exchange rate: `1 fromCurrency = rate × toCurrency`.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ExchangeRateDto {
    #[schema(example = "01964f6e-7c1a-7000-8000-000000000000")]
    pub id: String,
    #[schema(value_type = String, example = "EUR")]
    pub from_currency: Currency,
    #[schema(value_type = String, example = "USD")]
    pub to_currency: Currency,
    /// Where the rate comes from (`manual`, `ecb`, a payment method such as `bitstamp`).
    #[schema(example = "ecb")]
    pub source: String,
    #[serde(serialize_with = "rate_number")]
    #[schema(value_type = f64, example = 1.0856)]
    pub rate: Rate,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<RateView> for ExchangeRateDto {
    fn from(v: RateView) -> Self {
        Self {
            id: v.id,
            from_currency: v.from_currency,
            to_currency: v.to_currency,
            source: v.source,
            rate: v.rate,
            created_at: v.created_at,
            updated_at: v.updated_at,
        }
    }
}

/// Body of "Create exchange rate" and "Update exchange rate by ID".
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ExchangeRateRequest {
    #[schema(example = "EUR")]
    pub from_currency: String,
    #[schema(example = "USD")]
    pub to_currency: String,
    /// 1-64 letters, digits, `_`, `-`, `.`; stored in lower case.
    #[schema(example = "ecb")]
    pub source: String,
    /// Greater than 0, at most 15 significant digits and 20 decimal places. Required on create
    /// (no automatic feed is configured); absent on update keeps the current rate.
    #[serde(default, deserialize_with = "raw_rate")]
    #[schema(value_type = Option<f64>, example = 1.0856)]
    pub rate: Option<RawRate>,
}

impl From<ExchangeRateRequest> for RateInput {
    fn from(b: ExchangeRateRequest) -> Self {
        Self {
            from_currency: b.from_currency,
            to_currency: b.to_currency,
            source: b.source,
            rate: b.rate,
        }
    }
}

/// Query of "Get exchange rate".
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(rename_all = "camelCase")]
pub struct QuoteParams {
    /// The method for currency conversion: a payment method, matched against rate sources.
    #[param(value_type = String, required = true, example = "bitstamp")]
    pub method: Option<String>,
    /// The amount to convert, in the rate's `fromCurrency`.
    #[param(value_type = f64, required = true, example = 100)]
    pub amount: Option<String>,
    /// Narrows to rates from this currency when the method quotes several pairs.
    #[param(value_type = Option<String>)]
    pub from_currency: Option<String>,
    /// Narrows to rates into this currency.
    #[param(value_type = Option<String>)]
    pub to_currency: Option<String>,
}

/// Answer of "Get exchange rate".
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct QuoteDto {
    #[serde(serialize_with = "rate_number")]
    #[schema(value_type = f64, example = 0.0000158)]
    pub exchange_rate: Rate,
    #[schema(value_type = String, example = "USD")]
    pub from_currency: Currency,
    #[schema(value_type = String, example = "BTC")]
    pub to_currency: Currency,
    #[schema(example = "bitstamp")]
    pub source: String,
    /// The requested amount (decimal string).
    #[schema(value_type = String, example = "100")]
    pub amount: Money,
    /// `amount × exchangeRate`, rounded half to even to 8 places (decimal string).
    #[schema(value_type = String, example = "0.00158")]
    pub converted_amount: Money,
}

/// Quotes the rate of a payment method for an amount (any signed-in user).
#[utoipa::path(
    get,
    path = "/api/exchange-rates/quote",
    tag = "Exchange Rate",
    summary = "Get exchange rate",
    params(QuoteParams),
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "The rate and the converted amount", body = QuoteDto),
        (status = 404, description = "No rate for this method (and currencies)", body = ErrorBody),
        (status = 422, description = "Invalid `method`, `amount`, `fromCurrency` or `toCurrency`, or several rates match", body = ErrorBody)
    )
)]
pub async fn get_exchange_rate(
    State(app): State<App>,
    Auth(actor): Auth,
    Query(q): Query<QuoteParams>,
) -> ApiResult<Json<QuoteDto>> {
    let quote = rates::quote(
        &app,
        &actor,
        QuoteQuery {
            method: q.method.unwrap_or_default(),
            amount: q.amount.unwrap_or_default(),
            from_currency: q.from_currency,
            to_currency: q.to_currency,
        },
    )
    .await?;
    Ok(Json(QuoteDto {
        exchange_rate: quote.rate,
        from_currency: quote.from_currency,
        to_currency: quote.to_currency,
        source: quote.source,
        amount: quote.amount,
        converted_amount: quote.converted,
    }))
}

/// Creates the rate of a currency pair (ManageExchangeRates; audited).
#[utoipa::path(
    post,
    path = "/api/exchange-rates",
    tag = "Exchange Rate",
    summary = "Create exchange rate",
    request_body = ExchangeRateRequest,
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "Created", body = ExchangeRateDto),
        (status = 403, description = "Missing ManageExchangeRates permission", body = ErrorBody),
        (status = 409, description = "The pair already has a rate", body = ErrorBody),
        (status = 422, description = "Invalid `fromCurrency`, `toCurrency`, `source` or `rate`", body = ErrorBody)
    )
)]
pub async fn create_exchange_rate(
    State(app): State<App>,
    Auth(actor): Auth,
    JsonBody(b): JsonBody<ExchangeRateRequest>,
) -> ApiResult<Json<ExchangeRateDto>> {
    Ok(Json(rates::create(&app, &actor, b.into()).await?.into()))
}

/// Lists every rate by pair (ReadExchangeRates).
#[utoipa::path(
    get,
    path = "/api/exchange-rates",
    tag = "Exchange Rate",
    summary = "Get all exchange rates",
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "Rates", body = [ExchangeRateDto]),
        (status = 403, description = "Missing ReadExchangeRates permission", body = ErrorBody)
    )
)]
pub async fn list_exchange_rates(
    State(app): State<App>,
    Auth(actor): Auth,
) -> ApiResult<Json<Vec<ExchangeRateDto>>> {
    let list = rates::list(&app, &actor).await?;
    Ok(Json(list.into_iter().map(ExchangeRateDto::from).collect()))
}

/// Replaces a rate's pair and source, and its rate when given (ManageExchangeRates; audited).
#[utoipa::path(
    put,
    path = "/api/exchange-rates/{id}",
    tag = "Exchange Rate",
    summary = "Update exchange rate by ID",
    params(("id" = String, Path, description = "Exchange rate id")),
    request_body = ExchangeRateRequest,
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "Updated", body = ExchangeRateDto),
        (status = 403, description = "Missing ManageExchangeRates permission", body = ErrorBody),
        (status = 404, description = "No such rate", body = ErrorBody),
        (status = 409, description = "Another rate has the pair", body = ErrorBody),
        (status = 422, description = "Invalid `fromCurrency`, `toCurrency`, `source` or `rate`", body = ErrorBody)
    )
)]
pub async fn update_exchange_rate(
    State(app): State<App>,
    Auth(actor): Auth,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<ExchangeRateRequest>,
) -> ApiResult<Json<ExchangeRateDto>> {
    Ok(Json(rates::update(&app, &actor, &id, b.into()).await?.into()))
}

pub fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .routes(routes!(list_exchange_rates, create_exchange_rate))
        .routes(routes!(get_exchange_rate))
        .routes(routes!(update_exchange_rate))
}
