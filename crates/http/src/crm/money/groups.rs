//! Seed 002 tag Group Messages, the five trading-group operations: get/create/get/update/
//! delete groups (leverage, currency, trading adapter, swap switch, markups, commissions,
//! margin-call and stop-out levels). The tag's two group-message operations belong to
//! messaging.

use axum::Json;
use axum::extract::{Path, State};
use brokercrm_app::App;
use brokercrm_app::money::groups::{self as trading_groups, GroupUpdate, GroupView, NewGroup};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{ApiResult, ErrorBody};
use crate::extract::{Auth, Json as JsonBody};

/// A trading group.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct GroupDto {
    pub id: i64,
    #[schema(example = "Standard USD")]
    pub name: String,
    /// Default leverage of the group's wallets (1:`leverage`).
    #[schema(example = 100)]
    pub leverage: i32,
    #[schema(example = "USD")]
    pub currency: String,
    /// The trading adapter (platform) the group's wallets trade on.
    pub adapter_name: String,
    pub disable_swap_charges: bool,
    /// Markups per instrument or class, objects kept as given.
    #[schema(value_type = Vec<Object>)]
    pub markups: Value,
    /// Commissions per instrument or class, objects kept as given.
    #[schema(value_type = Vec<Object>)]
    pub commissions: Value,
    /// Margin level (equity / used margin, percent) at which a margin call is raised.
    #[schema(example = 100)]
    pub margin_call_level: f64,
    /// Margin level (percent) at which positions are closed; below `marginCallLevel`.
    #[schema(example = 50)]
    pub stop_out_level: f64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<GroupView> for GroupDto {
    fn from(g: GroupView) -> Self {
        Self {
            id: g.id,
            name: g.name,
            leverage: g.leverage,
            currency: g.currency,
            adapter_name: g.adapter_name,
            disable_swap_charges: g.disable_swap_charges,
            markups: g.markups,
            commissions: g.commissions,
            margin_call_level: g.margin_call_level.percent(),
            stop_out_level: g.stop_out_level.percent(),
            created_at: g.created_at,
            updated_at: g.updated_at,
        }
    }
}

/// Body of "Create group". Markups and commissions default to `[]`, the levels to 100 and 50.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CreateGroupRequest {
    pub name: String,
    pub leverage: f64,
    pub currency: String,
    /// Name of an existing trading adapter.
    pub adapter_name: String,
    pub disable_swap_charges: bool,
    #[schema(value_type = Option<Vec<Object>>)]
    pub markups: Option<Value>,
    #[schema(value_type = Option<Vec<Object>>)]
    pub commissions: Option<Value>,
    pub margin_call_level: Option<f64>,
    pub stop_out_level: Option<f64>,
}

/// Body of "Update group by ID" (name and currency do not change).
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UpdateGroupRequest {
    pub leverage: f64,
    #[schema(value_type = Vec<Object>)]
    pub markups: Value,
    #[schema(value_type = Vec<Object>)]
    pub commissions: Value,
    pub margin_call_level: f64,
    pub stop_out_level: f64,
    pub adapter_name: String,
    pub disable_swap_charges: bool,
}

/// `{"groups": [...]}`.
#[derive(Serialize, ToSchema)]
pub struct GroupsResponse {
    pub groups: Vec<GroupDto>,
}

/// `{"group": {...}}`.
#[derive(Serialize, ToSchema)]
pub struct GroupResponse {
    pub group: GroupDto,
}

/// `{"success": true, "group": {...}}` (the created group added to the seed's body).
#[derive(Serialize, ToSchema)]
pub struct GroupCreatedResponse {
    pub success: bool,
    pub group: GroupDto,
}

/// `{"success": true}`.
#[derive(Serialize, ToSchema)]
pub struct GroupDeletedResponse {
    pub success: bool,
}

/// Lists trading groups by id (ReadWallets).
#[utoipa::path(
    get, path = "/api/groups", tag = "Group Messages", summary = "Get groups",
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "Groups", body = GroupsResponse),
        (status = 403, description = "Missing ReadWallets permission", body = ErrorBody)
    )
)]
pub async fn list_groups(
    State(app): State<App>,
    Auth(actor): Auth,
) -> ApiResult<Json<GroupsResponse>> {
    let groups = trading_groups::list(&app, &actor).await?;
    Ok(Json(GroupsResponse { groups: groups.into_iter().map(GroupDto::from).collect() }))
}

/// Creates a trading group (ManageTradingGroups; audited).
#[utoipa::path(
    post, path = "/api/groups", tag = "Group Messages", summary = "Create group",
    request_body = CreateGroupRequest,
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "Created", body = GroupCreatedResponse),
        (status = 403, description = "Missing ManageTradingGroups permission", body = ErrorBody),
        (status = 409, description = "Name taken", body = ErrorBody),
        (status = 422, description = "Invalid field, named in details", body = ErrorBody)
    )
)]
pub async fn create_group(
    State(app): State<App>,
    Auth(actor): Auth,
    JsonBody(b): JsonBody<CreateGroupRequest>,
) -> ApiResult<Json<GroupCreatedResponse>> {
    let n = NewGroup {
        name: b.name,
        leverage: b.leverage,
        currency: b.currency,
        adapter_name: b.adapter_name,
        disable_swap_charges: b.disable_swap_charges,
        markups: b.markups,
        commissions: b.commissions,
        margin_call_level: b.margin_call_level,
        stop_out_level: b.stop_out_level,
    };
    let g = trading_groups::create(&app, &actor, n).await?;
    Ok(Json(GroupCreatedResponse { success: true, group: g.into() }))
}

/// Returns one trading group (ReadWallets).
#[utoipa::path(
    get, path = "/api/groups/{id}", tag = "Group Messages", summary = "Get group by ID",
    params(("id" = i64, Path, description = "Group id")),
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "The group", body = GroupResponse),
        (status = 403, description = "Missing ReadWallets permission", body = ErrorBody),
        (status = 404, description = "No such group", body = ErrorBody)
    )
)]
pub async fn get_group(
    State(app): State<App>,
    Auth(actor): Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<GroupResponse>> {
    Ok(Json(GroupResponse {
        group: trading_groups::get(&app, &actor, path_id(&id, "group")?).await?.into(),
    }))
}

/// Replaces a group's settings but its name and currency (ManageTradingGroups; audited).
#[utoipa::path(
    put, path = "/api/groups/{id}", tag = "Group Messages", summary = "Update group by ID",
    params(("id" = i64, Path, description = "Group id")),
    request_body = UpdateGroupRequest,
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "Updated", body = GroupResponse),
        (status = 403, description = "Missing ManageTradingGroups permission", body = ErrorBody),
        (status = 404, description = "No such group", body = ErrorBody),
        (status = 422, description = "Invalid field, named in details", body = ErrorBody)
    )
)]
pub async fn update_group(
    State(app): State<App>,
    Auth(actor): Auth,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<UpdateGroupRequest>,
) -> ApiResult<Json<GroupResponse>> {
    let u = GroupUpdate {
        leverage: b.leverage,
        markups: b.markups,
        commissions: b.commissions,
        margin_call_level: b.margin_call_level,
        stop_out_level: b.stop_out_level,
        adapter_name: b.adapter_name,
        disable_swap_charges: b.disable_swap_charges,
    };
    Ok(Json(GroupResponse {
        group: trading_groups::update(&app, &actor, path_id(&id, "group")?, u).await?.into(),
    }))
}

/// Deletes a group no wallet uses (ManageTradingGroups; audited).
#[utoipa::path(
    delete, path = "/api/groups/{id}", tag = "Group Messages", summary = "Delete group by ID",
    params(("id" = i64, Path, description = "Group id")),
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "Deleted", body = GroupDeletedResponse),
        (status = 403, description = "Missing ManageTradingGroups permission", body = ErrorBody),
        (status = 404, description = "No such group", body = ErrorBody),
        (status = 409, description = "Wallets still use the group", body = ErrorBody)
    )
)]
pub async fn delete_group(
    State(app): State<App>,
    Auth(actor): Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<GroupDeletedResponse>> {
    trading_groups::delete(&app, &actor, path_id(&id, "group")?).await?;
    Ok(Json(GroupDeletedResponse { success: true }))
}

/// A numeric path id; anything else names no `what` (404).
pub fn path_id(raw: &str, what: &'static str) -> Result<i64, brokercrm_core::Error> {
    raw.trim().parse::<i64>().map_err(|_| brokercrm_core::Error::NotFound(what))
}

pub fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new().routes(routes!(list_groups, create_group)).routes(routes!(
        get_group,
        update_group,
        delete_group
    ))
}
