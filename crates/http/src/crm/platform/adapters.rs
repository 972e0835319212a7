//! Seed 002 tag Adapters: named integrations — lead-delivery targets (`match_trade`,
//! `affiliate_v2`, `http_json`, `internal_crm`) and trading platforms (`internal_trading`,
//! `mt5`) — with a configuration validated per type and secrets masked on read.

use axum::Json;
use axum::extract::{Path, State};
use brokercrm_app::App;
use brokercrm_app::platform::adapters::{self, AdapterInput, AdapterView};
use brokercrm_core::Error;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{ApiResult, ErrorBody};
use crate::extract::{Auth, Json as JsonBody, Query};

/// Query of "Get a list of all adapters".
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(rename_all = "camelCase")]
pub struct ListAdaptersQuery {
    /// `true`: only trading platforms; `false` or absent: every adapter.
    #[param(value_type = Option<bool>)]
    pub only_trading_adapters: Option<String>,
}

/// Body of "Create a new adapter".
#[derive(Deserialize, ToSchema)]
pub struct CreateAdapterRequest {
    /// Unique name: letters, digits, `_`, `-`, `.`; at most 64.
    pub name: String,
    pub enabled: bool,
    #[serde(rename = "type")]
    pub kind: String,
    /// Per type: `match_trade` {baseUrl, clientId, clientSecret, username, password, offerUuid,
    /// partnerId}; `affiliate_v2` {baseUrl, token}; `http_json` {url, method, headers?,
    /// bodyTemplate}; `mt5` {server, login, password, group}; `internal_crm`,
    /// `internal_trading` {}. URLs must be https and public.
    #[schema(value_type = Object)]
    pub configuration: serde_json::Value,
}

/// Body of "Update a specific adapter by its name". Secrets sent back masked keep their
/// stored values.
#[derive(Deserialize, ToSchema)]
pub struct UpdateAdapterRequest {
    pub enabled: bool,
    #[serde(rename = "type")]
    pub kind: String,
    #[schema(value_type = Object)]
    pub configuration: serde_json::Value,
}

/// `{"success": true}`.
#[derive(Serialize, ToSchema)]
#[schema(as = AdapterSuccessResponse)]
pub struct SuccessResponse {
    pub success: bool,
}

fn only_trading(raw: Option<&str>) -> Result<bool, Error> {
    match raw.map(str::trim) {
        None | Some("") | Some("false") | Some("0") => Ok(false),
        Some("true") | Some("1") => Ok(true),
        Some(_) => Err(Error::field("onlyTradingAdapters", "must be true or false")),
    }
}

/// Lists adapters by name (ReadAdapters).
#[utoipa::path(
    get,
    path = "/api/adapters",
    tag = "Adapters",
    summary = "Get a list of all adapters",
    params(ListAdaptersQuery),
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "Adapters", body = [AdapterView]),
        (status = 403, description = "Missing ReadAdapters permission", body = ErrorBody),
        (status = 422, description = "Bad `onlyTradingAdapters`", body = ErrorBody)
    )
)]
pub async fn list_adapters(
    State(app): State<App>,
    Auth(actor): Auth,
    Query(q): Query<ListAdaptersQuery>,
) -> ApiResult<Json<Vec<AdapterView>>> {
    let only = only_trading(q.only_trading_adapters.as_deref())?;
    let list = adapters::list(&app, &actor, only).await?;
    Ok(Json(list.into_iter().collect()))
}

/// Creates an adapter (ManageAdapters; audited).
#[utoipa::path(
    post,
    path = "/api/adapters",
    tag = "Adapters",
    summary = "Create a new adapter",
    request_body = CreateAdapterRequest,
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "Created", body = SuccessResponse),
        (status = 403, description = "Missing ManageAdapters permission", body = ErrorBody),
        (status = 409, description = "Name taken", body = ErrorBody),
        (status = 422, description = "Invalid `name`, `type` or `configuration.<field>`", body = ErrorBody)
    )
)]
pub async fn create_adapter(
    State(app): State<App>,
    Auth(actor): Auth,
    JsonBody(b): JsonBody<CreateAdapterRequest>,
) -> ApiResult<Json<SuccessResponse>> {
    let input = AdapterInput { enabled: b.enabled, kind: b.kind, configuration: b.configuration };
    adapters::create(&app, &actor, &b.name, input).await?;
    Ok(Json(SuccessResponse { success: true }))
}

/// Returns one adapter (ReadAdapters).
#[utoipa::path(
    get,
    path = "/api/adapters/{name}",
    tag = "Adapters",
    summary = "Get a specific adapter by its name",
    params(("name" = String, Path, description = "Adapter name")),
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "The adapter", body = AdapterView),
        (status = 403, description = "Missing ReadAdapters permission", body = ErrorBody),
        (status = 404, description = "No such adapter", body = ErrorBody)
    )
)]
pub async fn get_adapter(
    State(app): State<App>,
    Auth(actor): Auth,
    Path(name): Path<String>,
) -> ApiResult<Json<AdapterView>> {
    Ok(Json(adapters::get(&app, &actor, &name).await?))
}

/// Replaces an adapter's enabled flag, type and configuration (ManageAdapters; audited).
#[utoipa::path(
    put,
    path = "/api/adapters/{name}",
    tag = "Adapters",
    summary = "Update a specific adapter by its name",
    params(("name" = String, Path, description = "Adapter name")),
    request_body = UpdateAdapterRequest,
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "Updated", body = SuccessResponse),
        (status = 403, description = "Missing ManageAdapters permission", body = ErrorBody),
        (status = 404, description = "No such adapter", body = ErrorBody),
        (status = 422, description = "Invalid `type` or `configuration.<field>`", body = ErrorBody)
    )
)]
pub async fn update_adapter(
    State(app): State<App>,
    Auth(actor): Auth,
    Path(name): Path<String>,
    JsonBody(b): JsonBody<UpdateAdapterRequest>,
) -> ApiResult<Json<SuccessResponse>> {
    let input = AdapterInput { enabled: b.enabled, kind: b.kind, configuration: b.configuration };
    adapters::update(&app, &actor, &name, input).await?;
    Ok(Json(SuccessResponse { success: true }))
}

/// Deletes an adapter (ManageAdapters; audited).
#[utoipa::path(
    delete,
    path = "/api/adapters/{name}",
    tag = "Adapters",
    summary = "Delete a specific adapter by its name",
    params(("name" = String, Path, description = "Adapter name")),
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "Deleted", body = SuccessResponse),
        (status = 403, description = "Missing ManageAdapters permission", body = ErrorBody),
        (status = 404, description = "No such adapter", body = ErrorBody)
    )
)]
pub async fn delete_adapter(
    State(app): State<App>,
    Auth(actor): Auth,
    Path(name): Path<String>,
) -> ApiResult<Json<SuccessResponse>> {
    adapters::delete(&app, &actor, &name).await?;
    Ok(Json(SuccessResponse { success: true }))
}

pub fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new().routes(routes!(list_adapters, create_adapter)).routes(routes!(
        get_adapter,
        update_adapter,
        delete_adapter
    ))
}
