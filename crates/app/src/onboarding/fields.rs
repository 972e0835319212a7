//! "Get all customer field configurations", "Update customer field configurations" (replaces
//! the whole set; ManageOnboarding; audited) and "Get form attribute configurations for a
//! specific step" (public: the sign-up form needs it before anyone signs in).

use brokercrm_core::onboarding::OnboardingStep;
use brokercrm_core::onboarding::fields::{self as rules, FieldConfig};
use brokercrm_core::{Error, Permission, Result};
use brokercrm_store::db::commit;
use brokercrm_store::repo::onboarding::fields::{self as repo, NewField};

use super::config::{field_configs, to_config};
use crate::platform::audit::{self, Audit};
use crate::{App, Principal};

/// Most configurations in one set.
pub const MAX_CONFIGS: usize = 200;

/// Every configuration.
pub async fn list(app: &App) -> Result<Vec<FieldConfig>> {
    field_configs(app.db().conn()).await
}

/// The fields of the form of `step`.
pub async fn form(app: &App, step: &str) -> Result<Vec<FieldConfig>> {
    let step = OnboardingStep::parse(step).ok_or(Error::NotFound("onboarding step"))?;
    Ok(repo::of_step(app.db().conn(), step.as_str()).await?.into_iter().map(to_config).collect())
}

/// Replaces every configuration with `list`; returns the stored set.
pub async fn update(
    app: &App,
    who: &Principal,
    list: Vec<FieldConfig>,
) -> Result<Vec<FieldConfig>> {
    who.require(Permission::ManageOnboarding)?;
    if list.len() > MAX_CONFIGS {
        return Err(Error::field("customerFieldConfigurations", format!("at most {MAX_CONFIGS}")));
    }
    rules::validate(&list)?;
    let tx = app.db().begin_write().await?;
    let before = field_configs(&tx).await?;
    let rows = list
        .iter()
        .map(|c| NewField {
            field: c.field.clone(),
            step: c.step.clone().unwrap_or_default(),
            required: c.required,
            editable: c.editable,
        })
        .collect();
    repo::replace(&tx, rows).await?;
    let after = field_configs(&tx).await?;
    audit::record(
        &tx,
        Some(who),
        Audit::new("onboarding.fields_update", "customer_field_configs", "all")
            .details(format!("{} field configurations", after.len()))
            .before(&before)
            .after(&after),
    )
    .await?;
    commit(tx).await?;
    Ok(after)
}
