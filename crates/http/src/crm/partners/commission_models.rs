//! IB commission models: seed 002 tag Commissions (create, update, delete) and the Coins tag's
//! "Get a list of commission models". A level's amounts are numbers (or decimal strings) in
//! USD; a missing amount is 0.

use axum::extract::{Path, State};
use brokercrm_app::App;
use brokercrm_app::partners::commission_models::{self, CommissionModelView, ModelInput};
use brokercrm_core::Error;
use brokercrm_core::error::Violations;
use brokercrm_core::partners::commissions::{CommissionLevel, LevelInput};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::crm::money::bonuses::number;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{Auth, Json};

/// One level (tier) of a commission model: level 1 pays the client's own introducer, level 2
/// that introducer's introducer, and so on.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CommissionModelLevel {
    /// 1 to the number of levels, each once.
    #[schema(value_type = i64, example = 1)]
    pub level: Option<Value>,
    /// USD paid once per referred client whose first deposit reaches `cpaMinDeposit`.
    #[schema(value_type = f64, example = 250)]
    pub cpa_amount: Option<Value>,
    /// Smallest first deposit (USD) that earns the CPA.
    #[schema(value_type = f64, example = 200)]
    pub cpa_min_deposit: Option<Value>,
    /// USD per lot the referred client trades.
    #[schema(value_type = f64, example = 5)]
    pub lot_amount: Option<Value>,
    /// Percent (0-100, 2 decimals) of the broker's net revenue from the referred client.
    #[schema(value_type = f64, example = 20)]
    pub rev_share_percent: Option<Value>,
}

impl From<&CommissionLevel> for CommissionModelLevel {
    fn from(l: &CommissionLevel) -> Self {
        let n = |text: String| Some(Value::from(number(&text)));
        Self {
            level: Some(Value::from(l.level)),
            cpa_amount: n(l.cpa.to_string()),
            cpa_min_deposit: n(l.cpa_min_deposit.to_string()),
            lot_amount: n(l.per_lot.to_string()),
            rev_share_percent: n(l.revenue_share_percent()),
        }
    }
}

/// Body of "Create a commission model" and "Update a commission model" (the whole model).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CommissionModelRequest {
    /// 1-100 characters, unique regardless of case.
    #[schema(example = "Standard IB")]
    pub name: Option<String>,
    pub grey_labeling_enabled: Option<bool>,
    /// The model that pays this model's introducers' own sub-introducers; `null` for none.
    #[schema(example = json!(null))]
    pub sub_commission_model_id: Option<i64>,
    /// 1 to 10 levels.
    pub commission_model_levels: Option<Vec<CommissionModelLevel>>,
    /// Make this the default model (the one new introducers get). The first model is the
    /// default anyway; `false` on the default is refused.
    pub default: Option<bool>,
}

/// The other model of `subCommissionModelId`.
#[derive(Debug, Serialize, ToSchema)]
pub struct SubCommissionModel {
    pub id: i64,
    pub name: String,
}

/// A commission model.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CommissionModelDto {
    #[schema(example = 1)]
    pub id: i64,
    #[schema(example = "Standard IB")]
    pub name: String,
    pub sub_commission_model_id: Option<i64>,
    pub sub_commission_model: Option<SubCommissionModel>,
    pub grey_labeling_enabled: bool,
    pub commission_model_levels: Vec<CommissionModelLevel>,
    pub default: bool,
}

impl From<CommissionModelView> for CommissionModelDto {
    fn from(v: CommissionModelView) -> Self {
        Self {
            id: v.id,
            name: v.name,
            sub_commission_model_id: v.sub_commission_model.as_ref().map(|(id, _)| *id),
            sub_commission_model: v
                .sub_commission_model
                .map(|(id, name)| SubCommissionModel { id, name }),
            grey_labeling_enabled: v.grey_labeling_enabled,
            commission_model_levels: v.levels.iter().map(Into::into).collect(),
            default: v.default,
        }
    }
}

/// "Get a list of commission models".
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CommissionModelsDto {
    pub commission_models: Vec<CommissionModelDto>,
}

/// `{"success": true}` and the new model's id.
#[derive(Debug, Serialize, ToSchema)]
pub struct CommissionModelCreated {
    pub success: bool,
    #[schema(example = 1)]
    pub id: i64,
}

/// `{"success": true}`.
#[derive(Debug, Serialize, ToSchema)]
pub struct CommissionModelDeleted {
    pub success: bool,
}

/// A JSON number or decimal string as text; anything else is an error naming `field`.
fn text_of(v: &mut Violations, field: String, raw: Option<&Value>) -> Option<String> {
    match raw {
        None | Some(Value::Null) => None,
        Some(Value::Number(n)) => Some(n.to_string()),
        Some(Value::String(s)) => Some(s.clone()),
        Some(_) => {
            v.push(field, "must be a number");
            None
        }
    }
}

/// The body as the application's input; wrongly typed level fields are reported together.
fn input_of(b: CommissionModelRequest) -> Result<ModelInput, Error> {
    let mut v = Violations::new();
    let levels = b.commission_model_levels.map(|levels| {
        levels
            .iter()
            .enumerate()
            .map(|(i, l)| {
                let mut at = |name: &str, raw| {
                    text_of(&mut v, format!("commissionModelLevels[{i}].{name}"), raw)
                };
                LevelInput {
                    level: at("level", l.level.as_ref()),
                    cpa_amount: at("cpaAmount", l.cpa_amount.as_ref()),
                    cpa_min_deposit: at("cpaMinDeposit", l.cpa_min_deposit.as_ref()),
                    lot_amount: at("lotAmount", l.lot_amount.as_ref()),
                    rev_share_percent: at("revSharePercent", l.rev_share_percent.as_ref()),
                }
            })
            .collect()
    });
    v.finish()?;
    Ok(ModelInput {
        name: b.name,
        grey_labeling_enabled: b.grey_labeling_enabled,
        sub_commission_model_id: b.sub_commission_model_id,
        levels,
        default: b.default,
    })
}

fn id_of(raw: &str) -> Result<i64, Error> {
    raw.trim().parse::<i64>().map_err(|_| Error::field("id", "must be an integer"))
}

/// Every commission model, by id (ReadCommissionModels).
#[utoipa::path(
    get, path = "/api/commission-models", tag = "Coins",
    summary = "Get a list of commission models",
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "The models, by id", body = CommissionModelsDto),
        (status = 403, description = "Not allowed", body = ErrorBody)
    )
)]
pub async fn list_commission_models(
    State(app): State<App>,
    Auth(p): Auth,
) -> ApiResult<axum::Json<CommissionModelsDto>> {
    let models = commission_models::list(&app, &p).await?;
    Ok(axum::Json(CommissionModelsDto {
        commission_models: models.into_iter().map(Into::into).collect(),
    }))
}

/// Creates a model (ManageCommissionModels). Audited.
#[utoipa::path(
    post, path = "/api/commission-models", tag = "Commissions",
    summary = "Create a commission model",
    request_body = CommissionModelRequest,
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "Created", body = CommissionModelCreated),
        (status = 400, description = "A field of the wrong type", body = ErrorBody),
        (status = 403, description = "Not allowed", body = ErrorBody),
        (status = 409, description = "A model of that name exists", body = ErrorBody),
        (status = 422, description = "An invalid field, named", body = ErrorBody)
    )
)]
pub async fn create_commission_model(
    State(app): State<App>,
    Auth(p): Auth,
    Json(b): Json<CommissionModelRequest>,
) -> ApiResult<axum::Json<CommissionModelCreated>> {
    let view = commission_models::create(&app, &p, &input_of(b)?).await?;
    Ok(axum::Json(CommissionModelCreated { success: true, id: view.id }))
}

/// Replaces a model's fields (ManageCommissionModels). Audited.
#[utoipa::path(
    put, path = "/api/commission-models/{id}", tag = "Commissions",
    summary = "Update a commission model",
    params(("id" = i64, Path, description = "Commission model id")),
    request_body = CommissionModelRequest,
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "Updated", body = CommissionModelDto),
        (status = 400, description = "A field of the wrong type", body = ErrorBody),
        (status = 403, description = "Not allowed", body = ErrorBody),
        (status = 404, description = "No such model", body = ErrorBody),
        (status = 409, description = "A model of that name exists", body = ErrorBody),
        (status = 422, description = "An invalid field, named", body = ErrorBody)
    )
)]
pub async fn update_commission_model(
    State(app): State<App>,
    Auth(p): Auth,
    Path(id): Path<String>,
    Json(b): Json<CommissionModelRequest>,
) -> ApiResult<axum::Json<CommissionModelDto>> {
    let id = id_of(&id)?;
    let view = commission_models::update(&app, &p, id, &input_of(b)?).await?;
    Ok(axum::Json(view.into()))
}

/// Deletes a model (ManageCommissionModels). Audited.
#[utoipa::path(
    delete, path = "/api/commission-models/{id}", tag = "Commissions",
    summary = "Delete a commission model",
    params(("id" = i64, Path, description = "Commission model id")),
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "Deleted", body = CommissionModelDeleted),
        (status = 403, description = "Not allowed", body = ErrorBody),
        (status = 404, description = "No such model", body = ErrorBody),
        (status = 409, description = "In use as a sub-introducers' model, or the default", body = ErrorBody),
        (status = 422, description = "Invalid `id`", body = ErrorBody)
    )
)]
pub async fn delete_commission_model(
    State(app): State<App>,
    Auth(p): Auth,
    Path(id): Path<String>,
) -> ApiResult<axum::Json<CommissionModelDeleted>> {
    commission_models::delete(&app, &p, id_of(&id)?).await?;
    Ok(axum::Json(CommissionModelDeleted { success: true }))
}

pub fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .routes(routes!(list_commission_models, create_commission_model))
        .routes(routes!(update_commission_model, delete_commission_model))
}
