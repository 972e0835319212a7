//! "Get all onboarding step configurations", "Get all onboarding stages" and "Update
//! onboarding step configuration" (ManageOnboarding; audited). A step is placed at one stage
//! or at none (`null`: not required); a stage refuses steps that cannot be done there
//! (`Stage::accepts`). The portal places several steps at once (`update_all`: all or none).

use brokercrm_core::onboarding::OnboardingStep;
use brokercrm_core::onboarding::stages::Stage;
use brokercrm_core::{Error, Permission, Result, Violations};
use brokercrm_store::DatabaseTransaction;
use brokercrm_store::db::commit;
use brokercrm_store::repo::onboarding::steps as repo;
use serde::Serialize;

use crate::platform::audit::{self, Audit};
use crate::{App, Principal};

/// One step and its stage.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = OnboardingStepConfiguration)]
pub struct StepConfig {
    /// The onboarding step.
    pub step: String,
    /// Its stage (`SignUp`, `BeforeSignIn`, `BeforeDeposit`, `BeforeWithdrawal`), or `null`
    /// when no stage requires it.
    pub stage: Option<String>,
}

/// Every step with its stage, in the order of the steps' enum.
pub async fn list(app: &App) -> Result<Vec<StepConfig>> {
    Ok(super::config::stages(app.db().conn())
        .await?
        .into_iter()
        .map(|(step, stage)| StepConfig {
            step: step.as_str().to_owned(),
            stage: stage.map(|s| s.as_str().to_owned()),
        })
        .collect())
}

/// The stages, in the order a customer meets them.
pub fn stages() -> Vec<&'static str> {
    Stage::ALL.iter().map(|s| s.as_str()).collect()
}

/// `stage` for `step` as typed (`None` or blank: no stage), refused naming `field`.
fn parse_stage(field: &str, step: OnboardingStep, stage: Option<&str>) -> Result<Option<Stage>> {
    match stage.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => {
            let st = Stage::parse(s).ok_or_else(|| {
                Error::field(field, format!("must be one of {}", stages().join(", ")))
            })?;
            if !st.accepts(step) {
                return Err(Error::field(
                    field,
                    format!("{} cannot be required at stage {s}", step.as_str()),
                ));
            }
            Ok(Some(st))
        }
    }
}

/// Places `step` at `stage` (`None` or `""`: at no stage).
pub async fn update(
    app: &App,
    who: &Principal,
    step: &str,
    stage: Option<&str>,
) -> Result<StepConfig> {
    who.require(Permission::ManageOnboarding)?;
    let step = OnboardingStep::parse(step).ok_or(Error::NotFound("onboarding step"))?;
    let stage = parse_stage("stage", step, stage)?;
    let tx = app.db().begin_write().await?;
    let saved = set(&tx, who, step, stage).await?;
    commit(tx).await?;
    Ok(saved)
}

/// Places several steps at once, all or none (the portal's form): `(step, stage)` pairs;
/// an error names the step. Steps whose stage does not change are left alone.
pub async fn update_all(
    app: &App,
    who: &Principal,
    changes: &[(String, Option<String>)],
) -> Result<Vec<StepConfig>> {
    who.require(Permission::ManageOnboarding)?;
    let mut v = Violations::new();
    let mut parsed = Vec::new();
    for (name, stage) in changes {
        match OnboardingStep::parse(name) {
            None => v.push(name.clone(), "unknown onboarding step"),
            Some(step) => {
                if let Some(st) = v.check(parse_stage(name, step, stage.as_deref())) {
                    parsed.push((step, st));
                }
            }
        }
    }
    v.finish()?;
    let tx = app.db().begin_write().await?;
    let current = super::config::stages(&tx).await?;
    for (step, stage) in parsed {
        if current.iter().any(|(s, st)| *s == step && *st != stage) {
            set(&tx, who, step, stage).await?;
        }
    }
    commit(tx).await?;
    list(app).await
}

/// Stores one step's stage and audits the change, in `tx`.
async fn set(
    tx: &DatabaseTransaction,
    who: &Principal,
    step: OnboardingStep,
    stage: Option<Stage>,
) -> Result<StepConfig> {
    let before = repo::all(tx).await?.into_iter().find(|r| r.step == step.as_str());
    let saved = repo::set_stage(tx, step.as_str(), stage.map(Stage::as_str)).await?;
    audit::record(
        tx,
        Some(who),
        Audit::new("onboarding.step_update", "onboarding_step", step.as_str())
            .details(format!("{} -> {}", step.as_str(), stage.map_or("no stage", Stage::as_str)))
            .before(&serde_json::json!({ "stage": before.and_then(|b| b.stage) }))
            .after(&serde_json::json!({ "stage": saved.stage })),
    )
    .await?;
    Ok(StepConfig { step: saved.step, stage: saved.stage })
}
