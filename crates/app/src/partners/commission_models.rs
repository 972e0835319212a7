//! IB commission models (seed tags Commissions and Coins): created, changed and deleted by
//! holders of ManageCommissionModels (admins), listed by ReadCommissionModels. One model is the
//! default, the one new introducers get: the first model created, or whichever was last made
//! the default. A model in use as another's sub-introducers' model, or the default while others
//! exist, cannot be deleted. Every change is audited.

use brokercrm_core::error::Violations;
use brokercrm_core::identity::auth::Permission;
use brokercrm_core::partners::commissions::{self, CommissionLevel, LevelInput};
use brokercrm_core::validate::text;
use brokercrm_core::{Error, Result};
use brokercrm_store::DatabaseTransaction;
use brokercrm_store::db::commit;
use brokercrm_store::repo::partners::commission_models::{
    self as repo, CommissionModelRow, ModelFields,
};
use serde::Serialize;

use crate::platform::audit::{self, Audit};
use crate::{App, Principal};

/// Most models a list returns (the seed has no paging for it).
pub const MAX_MODELS: u64 = 1000;

/// A model as the seed shows it, its sub-introducers' model by id and name.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct CommissionModelView {
    pub id: i64,
    pub name: String,
    pub grey_labeling_enabled: bool,
    pub sub_commission_model: Option<(i64, String)>,
    pub levels: Vec<CommissionLevel>,
    pub default: bool,
}

/// A model as submitted (create, or the whole of an update).
#[derive(Debug, Clone, Default)]
pub struct ModelInput {
    pub name: Option<String>,
    pub grey_labeling_enabled: Option<bool>,
    pub sub_commission_model_id: Option<i64>,
    pub levels: Option<Vec<LevelInput>>,
    /// Make this model the default; `false` on the default model is refused.
    pub default: Option<bool>,
}

/// The fields a valid input writes.
fn parse(input: &ModelInput) -> Result<ModelFields> {
    let mut v = Violations::new();
    let name = v.check(text("name", input.name.as_deref().unwrap_or(""), commissions::MAX_NAME));
    if input.grey_labeling_enabled.is_none() {
        v.push("greyLabelingEnabled", "is required");
    }
    let levels = match &input.levels {
        Some(levels) => commissions::parse_levels(&mut v, "commissionModelLevels", levels),
        None => {
            v.push("commissionModelLevels", "is required");
            Vec::new()
        }
    };
    v.finish()?;
    Ok(ModelFields {
        name: name.unwrap_or_default(),
        grey_labeling_enabled: input.grey_labeling_enabled.unwrap_or_default(),
        sub_commission_model_id: input.sub_commission_model_id,
        levels: serde_json::to_string(&levels).map_err(Error::internal)?,
    })
}

fn conflict(e: Error, name: &str) -> Error {
    match e {
        Error::Conflict(_) => {
            Error::Conflict(format!("a commission model named '{name}' already exists"))
        }
        other => other,
    }
}

/// The view of `row`, reading its sub-introducers' model's name.
async fn view_of(tx: &DatabaseTransaction, row: CommissionModelRow) -> Result<CommissionModelView> {
    let sub = match row.sub_commission_model_id {
        Some(id) => repo::find_by_id(tx, id).await?.map(|s| (s.id, s.name)),
        None => None,
    };
    view(row, sub)
}

fn view(row: CommissionModelRow, sub: Option<(i64, String)>) -> Result<CommissionModelView> {
    let levels: Vec<CommissionLevel> = serde_json::from_str(&row.levels).map_err(|_| {
        Error::internal(format!("commission model {}: stored levels are invalid", row.id))
    })?;
    Ok(CommissionModelView {
        id: row.id,
        name: row.name,
        grey_labeling_enabled: row.grey_labeling_enabled,
        sub_commission_model: sub,
        levels,
        default: row.is_default,
    })
}

/// The sub-introducers' model must exist and be another model.
async fn check_sub(tx: &DatabaseTransaction, sub: Option<i64>, of: Option<i64>) -> Result<()> {
    let Some(sub) = sub else { return Ok(()) };
    if Some(sub) == of {
        return Err(Error::field("subCommissionModelId", "must be another model"));
    }
    if repo::find_by_id(tx, sub).await?.is_none() {
        return Err(Error::field("subCommissionModelId", "no such commission model"));
    }
    Ok(())
}

/// "Create a commission model". The first model, or one sent with `default: true`, becomes
/// the default. Audited.
pub async fn create(
    app: &App,
    actor: &Principal,
    input: &ModelInput,
) -> Result<CommissionModelView> {
    actor.require(Permission::ManageCommissionModels)?;
    let p = parse(input)?;
    let tx = app.db().begin_write().await?;
    check_sub(&tx, p.sub_commission_model_id, None).await?;
    let first = repo::count(&tx).await? == 0;
    let is_default = first || input.default == Some(true);
    if is_default {
        repo::clear_default(&tx).await?;
    }
    let name = p.name.clone();
    let row = repo::insert(&tx, p, is_default).await.map_err(|e| conflict(e, &name))?;
    let view = view_of(&tx, row).await?;
    audit::record(
        &tx,
        Some(actor),
        Audit::new("commission_model.create", "commission_model", view.id.to_string())
            .details(format!("commission model '{name}' created"))
            .after(&view),
    )
    .await?;
    commit(tx).await?;
    Ok(view)
}

/// "Update a commission model": replaces every field. `default: true` makes it the default;
/// `default: false` on the default is refused (make another the default instead). Audited.
pub async fn update(
    app: &App,
    actor: &Principal,
    id: i64,
    input: &ModelInput,
) -> Result<CommissionModelView> {
    actor.require(Permission::ManageCommissionModels)?;
    let p = parse(input)?;
    let tx = app.db().begin_write().await?;
    let old = repo::find_by_id(&tx, id).await?.ok_or(Error::NotFound("commission model"))?;
    check_sub(&tx, p.sub_commission_model_id, Some(id)).await?;
    if old.is_default && input.default == Some(false) {
        return Err(Error::field("default", "make another model the default instead"));
    }
    let is_default = old.is_default || input.default == Some(true);
    if is_default && !old.is_default {
        repo::clear_default(&tx).await?;
    }
    let before = view_of(&tx, old.clone()).await?;
    let name = p.name.clone();
    let row = repo::update(&tx, old, p, is_default).await.map_err(|e| conflict(e, &name))?;
    let after = view_of(&tx, row).await?;
    audit::record(
        &tx,
        Some(actor),
        Audit::new("commission_model.update", "commission_model", id.to_string())
            .details(format!("commission model '{}' updated", before.name))
            .before(&before)
            .after(&after),
    )
    .await?;
    commit(tx).await?;
    Ok(after)
}

/// "Delete a commission model". Refused (409) while another model names it as its
/// sub-introducers' model, or while it is the default and other models exist. Audited.
pub async fn delete(app: &App, actor: &Principal, id: i64) -> Result<()> {
    actor.require(Permission::ManageCommissionModels)?;
    let tx = app.db().begin_write().await?;
    let row = repo::find_by_id(&tx, id).await?.ok_or(Error::NotFound("commission model"))?;
    if repo::count_naming_as_sub(&tx, id).await? > 0 {
        return Err(Error::Conflict(
            "another commission model uses this one for its sub-introducers".into(),
        ));
    }
    if row.is_default && repo::count(&tx).await? > 1 {
        return Err(Error::Conflict(
            "this is the default commission model: make another the default first".into(),
        ));
    }
    let before = view_of(&tx, row).await?;
    repo::delete(&tx, id).await?;
    audit::record(
        &tx,
        Some(actor),
        Audit::new("commission_model.delete", "commission_model", id.to_string())
            .details(format!("commission model '{}' deleted", before.name))
            .before(&before),
    )
    .await?;
    commit(tx).await
}

/// "Get a list of commission models", by id.
pub async fn list(app: &App, actor: &Principal) -> Result<Vec<CommissionModelView>> {
    actor.require(Permission::ReadCommissionModels)?;
    let rows = repo::list(app.db().conn(), MAX_MODELS).await?;
    let names: std::collections::HashMap<i64, String> =
        rows.iter().map(|r| (r.id, r.name.clone())).collect();
    rows.into_iter()
        .map(|r| {
            let sub = r.sub_commission_model_id.and_then(|s| Some((s, names.get(&s)?.clone())));
            view(r, sub)
        })
        .collect()
}
