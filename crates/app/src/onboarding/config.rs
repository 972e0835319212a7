//! Reads the onboarding configuration: each step's stage and the field configurations.

use brokercrm_core::Result;
use brokercrm_core::onboarding::OnboardingStep;
use brokercrm_core::onboarding::fields::FieldConfig;
use brokercrm_core::onboarding::stages::Stage;
use brokercrm_store::ConnectionTrait;
use brokercrm_store::repo::onboarding::{fields, steps};

/// Every step with its stage (steps without a row have none).
pub async fn stages<C: ConnectionTrait>(conn: &C) -> Result<Vec<(OnboardingStep, Option<Stage>)>> {
    let rows = steps::all(conn).await?;
    Ok(OnboardingStep::ALL
        .into_iter()
        .map(|step| {
            let stage = rows
                .iter()
                .find(|r| r.step == step.as_str())
                .and_then(|r| r.stage.as_deref())
                .and_then(Stage::parse);
            (step, stage)
        })
        .collect())
}

/// Every field configuration, profile ones with `step: None`.
pub async fn field_configs<C: ConnectionTrait>(conn: &C) -> Result<Vec<FieldConfig>> {
    Ok(fields::all(conn).await?.into_iter().map(to_config).collect())
}

/// A stored row as the configuration it holds.
pub(crate) fn to_config(r: fields::FieldRow) -> FieldConfig {
    FieldConfig {
        field: r.field,
        step: (!r.step.is_empty()).then_some(r.step),
        required: r.required,
        editable: r.editable,
    }
}
