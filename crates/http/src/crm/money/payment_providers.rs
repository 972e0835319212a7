//! Seed 002 tag Payment Providers: the client's available methods, and staff configuration
//! of the built-in providers (key values encrypted at rest and masked here, countries,
//! limits, predefined amounts, order). Amounts travel as JSON numbers of at most 15
//! significant digits and 8 decimals (exact both ways); decimal strings are accepted too.

use std::fmt;

use axum::Json;
use axum::extract::{Path, State};
use brokercrm_app::App;
use brokercrm_app::money::payments::methods::{self, MethodView};
use brokercrm_app::money::payments::providers::{
    self, KeyValueInput, MethodFilter, ProviderUpdate,
};
use brokercrm_app::money::payments::{KeyInfo, KeyValueView, ProviderView};
use brokercrm_core::Money;
use chrono::{DateTime, Utc};
use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{ApiResult, ErrorBody};
use crate::extract::{Auth, Json as JsonBody, Query};

/// An amount as a JSON number; the decimal text of at most 15 significant digits round-trips
/// through a double exactly.
fn number<S: Serializer>(m: &Money, s: S) -> Result<S::Ok, S::Error> {
    let f: f64 = m.to_string().parse().map_err(serde::ser::Error::custom)?;
    s.serialize_f64(f)
}

fn opt_number<S: Serializer>(m: &Option<Money>, s: S) -> Result<S::Ok, S::Error> {
    match m {
        Some(m) => number(m, s),
        None => s.serialize_none(),
    }
}

fn numbers<S: Serializer>(ms: &[Money], s: S) -> Result<S::Ok, S::Error> {
    #[derive(Serialize)]
    struct N(#[serde(serialize_with = "number")] Money);
    s.collect_seq(ms.iter().map(|m| N(*m)))
}

/// An amount exactly as written: a JSON number's shortest decimal form or a string.
#[derive(Debug, Clone)]
pub struct AmountText(pub String);

impl<'de> Deserialize<'de> for AmountText {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = AmountText;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a number or a decimal string")
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<AmountText, E> {
                Ok(AmountText(format!("{v}")))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<AmountText, E> {
                Ok(AmountText(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<AmountText, E> {
                Ok(AmountText(v.to_string()))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<AmountText, E> {
                Ok(AmountText(v.to_owned()))
            }
        }
        d.deserialize_any(V)
    }
}

/// Absent → `None`, `null` → `Some(None)`, a value → `Some(Some(v))`.
fn nullable<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Option<AmountText>>, D::Error> {
    Option::<AmountText>::deserialize(d).map(Some)
}

/// A configuration key the provider declares.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ProviderKeyDto {
    #[schema(example = "apiSecret")]
    pub key: String,
    /// Secret values are encrypted at rest and returned masked.
    pub secret: bool,
    /// The provider cannot be enabled without it.
    pub required: bool,
    /// Whether a value is stored.
    pub set: bool,
}

impl From<KeyInfo> for ProviderKeyDto {
    fn from(k: KeyInfo) -> Self {
        Self { key: k.key, secret: k.secret, required: k.required, set: k.set }
    }
}

/// A payment provider as staff see it.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PaymentProviderDto {
    #[schema(example = "bitstamp")]
    pub id: String,
    #[schema(example = "Bitstamp")]
    pub name: String,
    /// `deposit` and/or `withdrawal`.
    #[schema(example = json!(["deposit", "withdrawal"]))]
    pub method_types: Vec<String>,
    /// Settles at once without an outside party (the built-in test provider).
    pub instant: bool,
    pub enabled: bool,
    /// Position in lists (ascending).
    pub sort: i32,
    /// The keys the provider needs.
    pub keys: Vec<ProviderKeyDto>,
    pub key_values: Vec<KeyValueView>,
    /// ISO 3166-1 alpha-2 codes; empty: every country.
    #[schema(example = json!(["DE", "AT"]))]
    pub enabled_country_codes: Vec<String>,
    #[serde(serialize_with = "opt_number")]
    #[schema(value_type = Option<f64>, example = 10)]
    pub minimum_deposit_amount: Option<Money>,
    #[serde(serialize_with = "opt_number")]
    #[schema(value_type = Option<f64>, example = 10000)]
    pub maximum_deposit_amount: Option<Money>,
    #[serde(serialize_with = "opt_number")]
    #[schema(value_type = Option<f64>, example = 20)]
    pub minimum_withdrawal_amount: Option<Money>,
    #[serde(serialize_with = "opt_number")]
    #[schema(value_type = Option<f64>, example = 5000)]
    pub maximum_withdrawal_amount: Option<Money>,
    #[serde(serialize_with = "numbers")]
    #[schema(value_type = Vec<f64>, example = json!([100, 250, 500]))]
    pub predefined_deposit_amounts: Vec<Money>,
    /// When staff last changed it; `null` while it has its defaults.
    pub updated_at: Option<DateTime<Utc>>,
}

impl From<ProviderView> for PaymentProviderDto {
    fn from(v: ProviderView) -> Self {
        Self {
            id: v.id,
            name: v.name,
            method_types: v.method_types.iter().map(|t| t.as_str().to_owned()).collect(),
            instant: v.instant,
            enabled: v.enabled,
            sort: v.sort,
            keys: v.keys.into_iter().map(Into::into).collect(),
            key_values: v.key_values.into_iter().collect(),
            enabled_country_codes: v.enabled_country_codes,
            minimum_deposit_amount: v.limits.minimum_deposit_amount,
            maximum_deposit_amount: v.limits.maximum_deposit_amount,
            minimum_withdrawal_amount: v.limits.minimum_withdrawal_amount,
            maximum_withdrawal_amount: v.limits.maximum_withdrawal_amount,
            predefined_deposit_amounts: v.limits.predefined_deposit_amounts,
            updated_at: v.updated_at,
        }
    }
}

/// `{"providers": [...]}`.
#[derive(Serialize, ToSchema)]
pub struct ProvidersResponse {
    pub providers: Vec<PaymentProviderDto>,
}

/// `{"provider": {...}}`.
#[derive(Serialize, ToSchema)]
pub struct ProviderResponse {
    pub provider: PaymentProviderDto,
}

/// A provider offering the requested method type.
#[derive(Serialize, ToSchema)]
pub struct MethodFilterDto {
    #[schema(example = "bitstamp")]
    pub id: String,
    #[schema(example = "Bitstamp")]
    pub name: String,
    pub enabled: bool,
}

impl From<MethodFilter> for MethodFilterDto {
    fn from(m: MethodFilter) -> Self {
        Self { id: m.id, name: m.name, enabled: m.enabled }
    }
}

/// `{"methods": [...]}`.
#[derive(Serialize, ToSchema)]
pub struct FiltersResponse {
    pub methods: Vec<MethodFilterDto>,
}

/// A payment method the caller may use.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PaymentMethodDto {
    /// The provider's id.
    #[schema(example = "test")]
    pub id: String,
    #[schema(example = "Test provider")]
    pub name: String,
    /// `deposit` or `withdrawal`.
    #[serde(rename = "type")]
    #[schema(example = "deposit")]
    pub kind: String,
    pub instant: bool,
    #[serde(serialize_with = "opt_number")]
    #[schema(value_type = Option<f64>, example = 10)]
    pub minimum_amount: Option<Money>,
    #[serde(serialize_with = "opt_number")]
    #[schema(value_type = Option<f64>, example = 10000)]
    pub maximum_amount: Option<Money>,
    /// Deposit presets; empty for withdrawals.
    #[serde(serialize_with = "numbers")]
    #[schema(value_type = Vec<f64>, example = json!([100, 250, 500]))]
    pub predefined_amounts: Vec<Money>,
}

impl From<MethodView> for PaymentMethodDto {
    fn from(m: MethodView) -> Self {
        Self {
            id: m.id,
            name: m.name,
            kind: m.kind.as_str().to_owned(),
            instant: m.instant,
            minimum_amount: m.minimum_amount,
            maximum_amount: m.maximum_amount,
            predefined_amounts: m.predefined_amounts,
        }
    }
}

/// Query with the method type.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TypeParams {
    /// `deposit` or `withdrawal`.
    #[param(rename = "type", value_type = Option<String>, example = "deposit")]
    #[serde(rename = "type")]
    pub kind: Option<String>,
}

/// One key value to set; `null` or `""` unsets it; the masked value as returned keeps it.
#[derive(Deserialize, ToSchema)]
pub struct KeyValueRequest {
    #[schema(example = "apiKey")]
    pub key: String,
    #[schema(example = "k3Yq8s0n2b")]
    pub value: Option<String>,
}

/// Body of "Update payment provider by ID"; an absent field stays as it is.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UpdatePaymentProviderRequest {
    /// Keys listed are set or unset; keys not listed keep their values.
    pub key_values: Option<Vec<KeyValueRequest>>,
    /// ISO 3166-1 alpha-2 codes; empty: every country.
    #[schema(example = json!(["DE", "AT"]))]
    pub enabled_country_codes: Option<Vec<String>>,
    /// `null` removes the limit.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<f64>, example = 10)]
    pub minimum_deposit_amount: Option<Option<AmountText>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<f64>, example = 10000)]
    pub maximum_deposit_amount: Option<Option<AmountText>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<f64>, example = 20)]
    pub minimum_withdrawal_amount: Option<Option<AmountText>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<f64>, example = 5000)]
    pub maximum_withdrawal_amount: Option<Option<AmountText>>,
    /// Each greater than 0 and within the deposit limits; at most 20.
    #[schema(value_type = Option<Vec<f64>>, example = json!([100, 250, 500]))]
    pub predefined_deposit_amounts: Option<Vec<AmountText>>,
    /// Our addition: turns the provider on or off (on needs its required keys).
    pub enabled: Option<bool>,
}

fn text(a: Option<Option<AmountText>>) -> Option<Option<String>> {
    a.map(|o| o.map(|t| t.0))
}

impl From<UpdatePaymentProviderRequest> for ProviderUpdate {
    fn from(b: UpdatePaymentProviderRequest) -> Self {
        Self {
            key_values: b.key_values.map(|kvs| {
                kvs.into_iter().map(|kv| KeyValueInput { key: kv.key, value: kv.value }).collect()
            }),
            enabled_country_codes: b.enabled_country_codes,
            minimum_deposit_amount: text(b.minimum_deposit_amount),
            maximum_deposit_amount: text(b.maximum_deposit_amount),
            minimum_withdrawal_amount: text(b.minimum_withdrawal_amount),
            maximum_withdrawal_amount: text(b.maximum_withdrawal_amount),
            predefined_deposit_amounts: b
                .predefined_deposit_amounts
                .map(|l| l.into_iter().map(|a| a.0).collect()),
            enabled: b.enabled,
        }
    }
}

/// Body of "Sort payment providers".
#[derive(Deserialize, ToSchema)]
pub struct SortPaymentProvidersRequest {
    #[schema(example = "bitstamp")]
    pub id: String,
    /// 0 to 1000000; lists are ascending by it.
    #[schema(example = 1)]
    pub sort: i64,
}

/// The methods the caller may use now, by type (any signed-in user).
#[utoipa::path(
    get,
    path = "/api/me/payment-methods",
    tag = "Payment Providers",
    summary = "Get available payment methods for the authenticated user",
    params(TypeParams),
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "Enabled methods for the caller's country, by sort", body = [PaymentMethodDto]),
        (status = 422, description = "Invalid `type`", body = ErrorBody)
    )
)]
pub async fn list_available_payment_methods(
    State(app): State<App>,
    Auth(actor): Auth,
    Query(q): Query<TypeParams>,
) -> ApiResult<Json<Vec<PaymentMethodDto>>> {
    let list = methods::available(&app, &actor, q.kind.as_deref()).await?;
    Ok(Json(list.into_iter().map(Into::into).collect()))
}

/// Every provider, by sort (ReadPaymentProviders).
#[utoipa::path(
    get,
    path = "/api/payment-providers",
    tag = "Payment Providers",
    summary = "Get payment providers",
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "Providers", body = ProvidersResponse),
        (status = 403, description = "Missing ReadPaymentProviders permission", body = ErrorBody)
    )
)]
pub async fn list_payment_providers(
    State(app): State<App>,
    Auth(actor): Auth,
) -> ApiResult<Json<ProvidersResponse>> {
    let list = providers::list(&app, &actor).await?;
    Ok(Json(ProvidersResponse { providers: list.into_iter().map(Into::into).collect() }))
}

/// The providers offering a method type, for list filters (ReadPaymentProviders).
#[utoipa::path(
    get,
    path = "/api/payment-providers/filters",
    tag = "Payment Providers",
    summary = "Get payment provider filters",
    params(TypeParams),
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "Methods of that type", body = FiltersResponse),
        (status = 403, description = "Missing ReadPaymentProviders permission", body = ErrorBody),
        (status = 422, description = "Missing or invalid `type`", body = ErrorBody)
    )
)]
pub async fn get_payment_provider_filters(
    State(app): State<App>,
    Auth(actor): Auth,
    Query(q): Query<TypeParams>,
) -> ApiResult<Json<FiltersResponse>> {
    let list = providers::filters(&app, &actor, q.kind.as_deref().unwrap_or("")).await?;
    Ok(Json(FiltersResponse { methods: list.into_iter().map(Into::into).collect() }))
}

/// One provider, secrets masked (ReadPaymentProviders).
#[utoipa::path(
    get,
    path = "/api/payment-providers/{id}",
    tag = "Payment Providers",
    summary = "Get payment provider by ID",
    params(("id" = String, Path, description = "Provider id (`test`, `bitstamp`, `trustology`)")),
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "The provider", body = ProviderResponse),
        (status = 403, description = "Missing ReadPaymentProviders permission", body = ErrorBody),
        (status = 404, description = "No such provider", body = ErrorBody)
    )
)]
pub async fn get_payment_provider(
    State(app): State<App>,
    Auth(actor): Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<ProviderResponse>> {
    Ok(Json(ProviderResponse { provider: providers::get(&app, &actor, &id).await?.into() }))
}

/// Changes a provider's settings (ManagePaymentProviders; audited, secrets masked).
#[utoipa::path(
    put,
    path = "/api/payment-providers/{id}",
    tag = "Payment Providers",
    summary = "Update payment provider by ID",
    params(("id" = String, Path, description = "Provider id")),
    request_body = UpdatePaymentProviderRequest,
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "Updated", body = ProviderResponse),
        (status = 403, description = "Missing ManagePaymentProviders permission", body = ErrorBody),
        (status = 404, description = "No such provider", body = ErrorBody),
        (status = 422, description = "Invalid fields, each named (`keyValues[0].key`, `minimumDepositAmount`...)", body = ErrorBody)
    )
)]
pub async fn update_payment_provider(
    State(app): State<App>,
    Auth(actor): Auth,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<UpdatePaymentProviderRequest>,
) -> ApiResult<Json<ProviderResponse>> {
    let view = providers::update(&app, &actor, &id, b.into()).await?;
    Ok(Json(ProviderResponse { provider: view.into() }))
}

/// Sets one provider's position; returns every provider in the new order
/// (ManagePaymentProviders; audited).
#[utoipa::path(
    post,
    path = "/api/payment-providers/sort",
    tag = "Payment Providers",
    summary = "Sort payment providers",
    request_body = SortPaymentProvidersRequest,
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "Providers in the new order", body = ProvidersResponse),
        (status = 403, description = "Missing ManagePaymentProviders permission", body = ErrorBody),
        (status = 422, description = "Unknown `id` or invalid `sort`", body = ErrorBody)
    )
)]
pub async fn sort_payment_providers(
    State(app): State<App>,
    Auth(actor): Auth,
    JsonBody(b): JsonBody<SortPaymentProvidersRequest>,
) -> ApiResult<Json<ProvidersResponse>> {
    let list = providers::sort(&app, &actor, &b.id, b.sort).await?;
    Ok(Json(ProvidersResponse { providers: list.into_iter().map(Into::into).collect() }))
}

/// "Top up demo wallet with a specific amount" request.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DemoTopUpRequest {
    /// A demo wallet of the caller (staff: any demo wallet, with ManageWalletMoney).
    #[schema(example = 12)]
    pub wallet_id: i64,
    /// Decimal text, at most 8 decimals; above 0 and at most 1000000.
    #[schema(example = "10000")]
    pub amount: String,
    /// The wallet's currency, if given.
    #[schema(example = "USD")]
    pub currency: Option<String>,
}

/// "Top up demo wallet" answer.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DemoTopUpResponse {
    pub success: bool,
    /// The wallet's balance after the top-up.
    #[serde(serialize_with = "number")]
    #[schema(value_type = f64, example = 10000)]
    pub new_balance: Money,
}

/// Adds play money to a demo wallet: a ledger DEPOSIT from the demo provider's clearing
/// account.
#[utoipa::path(
    post,
    path = "/api/payment-providers/demo/top-up",
    tag = "Payment Providers",
    summary = "Top up demo wallet with a specific amount",
    request_body = DemoTopUpRequest,
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "Topped up", body = DemoTopUpResponse),
        (status = 403, description = "Staff without ManageWalletMoney", body = ErrorBody),
        (status = 422, description = "Invalid `walletId` (unknown, not the caller's, not demo), `amount` or `currency`", body = ErrorBody)
    )
)]
pub async fn top_up_demo_wallet(
    State(app): State<App>,
    Auth(actor): Auth,
    JsonBody(b): JsonBody<DemoTopUpRequest>,
) -> ApiResult<Json<DemoTopUpResponse>> {
    let amount = Money::parse("amount", b.amount.trim())?;
    let balance = brokercrm_app::money::wallets::demo::top_up(
        &app,
        &actor,
        b.wallet_id,
        amount,
        b.currency.as_deref(),
    )
    .await?;
    Ok(Json(DemoTopUpResponse { success: true, new_balance: balance }))
}

pub fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .routes(routes!(top_up_demo_wallet))
        .routes(routes!(list_available_payment_methods))
        .routes(routes!(list_payment_providers))
        .routes(routes!(get_payment_provider_filters))
        .routes(routes!(sort_payment_providers))
        .routes(routes!(get_payment_provider, update_payment_provider))
}
