//! What a customer still has to do before a stage ("Get pending onboarding steps for the
//! authenticated user for a specific stage"), and the gate the stages are enforced with:
//! one 403 (`Error::Unmet`) naming every pending step. Only customers have onboarding.

use brokercrm_core::identity::auth::Role;
use brokercrm_core::onboarding::OnboardingStep;
use brokercrm_core::onboarding::fields::FieldConfig;
use brokercrm_core::onboarding::stages::{self, Stage};
use brokercrm_core::{Error, Result};
use brokercrm_store::ConnectionTrait;
use brokercrm_store::repo::identity::users::UserRow;

use super::config::{field_configs, stages as configured};
use crate::identity::users::{KYC_APPROVED, current_user, current_user_in, skipped_steps};
use crate::{App, Principal};

/// The value of a configurable customer field on the user row.
pub fn field_value<'a>(user: &'a UserRow, field: &str) -> Option<&'a str> {
    let v = match field {
        "email" => Some(user.email.as_str()),
        "firstname" => user.firstname.as_deref(),
        "lastname" => user.lastname.as_deref(),
        "mobilenumber" => user.mobilenumber.as_deref(),
        "country" => user.country.as_deref(),
        "communicationLanguage" => user.communication_language.as_deref(),
        _ => None,
    };
    v.filter(|s| !s.trim().is_empty())
}

/// Whether `user` has done (or was allowed to skip) `step`. A form is done when every field
/// it requires has a value.
pub fn done(user: &UserRow, fields: &[FieldConfig], step: OnboardingStep) -> bool {
    use OnboardingStep as S;
    if skipped_steps(user).contains(&step) {
        return true;
    }
    match step {
        S::EmailConfirmation => user.confirmed_at.is_some(),
        S::PhoneConfirmation => user.phone_confirmed_at.is_some(),
        S::DisclaimerBeforeDeposit => user.disclaimer_accepted_at.is_some(),
        S::KYC => user.kyc_status == KYC_APPROVED,
        S::SignupDemoForm
        | S::SignupRealForm
        | S::CompleteAccountBeforeDepositForm
        | S::CompleteAccountBeforeWithdrawalForm => fields
            .iter()
            .filter(|c| c.required && c.step.as_deref() == Some(step.as_str()))
            .all(|c| field_value(user, &c.field).is_some()),
    }
}

/// Steps `user` must still do before `stage`; none for anyone but customers.
pub async fn pending_of<C: ConnectionTrait>(
    conn: &C,
    user: &UserRow,
    stage: Stage,
) -> Result<Vec<OnboardingStep>> {
    if user.role != Role::Customer.as_str() {
        return Ok(Vec::new());
    }
    let config = configured(conn).await?;
    if !config.iter().any(|(_, st)| st.is_some_and(|st| stages::enforced(st, stage))) {
        return Ok(Vec::new());
    }
    let fields = field_configs(conn).await?;
    Ok(stages::pending(&config, stage, |step| done(user, &fields, step)))
}

/// "Get pending onboarding steps ...": the caller's pending steps before `stage`.
pub async fn pending(app: &App, who: &Principal, stage: &str) -> Result<Vec<OnboardingStep>> {
    let stage = Stage::parse(stage).ok_or(Error::NotFound("onboarding stage"))?;
    let user = current_user(app, who).await?;
    pending_of(app.db().conn(), &user, stage).await
}

/// Refuses with a 403 naming every pending step when `user` has not reached `stage`.
pub async fn require_of<C: ConnectionTrait>(conn: &C, user: &UserRow, stage: Stage) -> Result<()> {
    let steps = pending_of(conn, user, stage).await?;
    if steps.is_empty() {
        Ok(())
    } else {
        Err(Error::Unmet(steps.iter().map(|s| s.as_str().to_owned()).collect()))
    }
}

/// The gate of a client's own deposit (`BeforeDeposit`) or withdrawal (`BeforeWithdrawal`):
/// staff and API keys acting without a customer are not gated here.
pub async fn require(app: &App, who: &Principal, stage: Stage) -> Result<()> {
    if who.role != Role::Customer {
        return Ok(());
    }
    let conn = app.db().conn();
    let config = configured(conn).await?;
    if !config.iter().any(|(_, st)| st.is_some_and(|st| stages::enforced(st, stage))) {
        return Ok(());
    }
    let user = current_user_in(conn, who).await?;
    require_of(conn, &user, stage).await
}
