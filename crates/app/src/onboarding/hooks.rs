//! Onboarding's reactions to identity's events: a sign-in is refused while steps of the
//! `BeforeSignIn` stage are pending; a sign-up must fill every field its form requires (the
//! real-account form, or the demo one when the real form was skipped); a profile change may
//! touch only fields the client is allowed to edit. Each refusal rolls the operation back.

use brokercrm_core::onboarding::OnboardingStep;
use brokercrm_core::onboarding::fields;
use brokercrm_core::onboarding::stages::Stage;
use brokercrm_store::DatabaseTransaction;

use super::config::{field_configs, stages};
use super::progress::{field_value, require_of};
use crate::identity::events::{ProfileUpdating, SigningIn, SigningUp};
use crate::identity::users::skipped_steps;
use crate::platform::events::Reaction;

/// Subscriber to [`SigningIn`].
pub fn on_signing_in<'a>(tx: &'a DatabaseTransaction, e: &'a SigningIn) -> Reaction<'a> {
    Box::pin(async move { require_of(tx, &e.user, Stage::BeforeSignIn).await })
}

/// Subscriber to [`SigningUp`]: staff may create a customer with less.
pub fn on_signing_up<'a>(tx: &'a DatabaseTransaction, e: &'a SigningUp) -> Reaction<'a> {
    Box::pin(async move {
        if e.by_staff {
            return Ok(());
        }
        let skipped = skipped_steps(&e.user);
        let config = stages(tx).await?;
        let at_sign_up = |s: OnboardingStep| {
            !skipped.contains(&s)
                && config.iter().any(|(step, st)| *step == s && *st == Some(Stage::SignUp))
        };
        let form = [OnboardingStep::SignupRealForm, OnboardingStep::SignupDemoForm]
            .into_iter()
            .find(|s| at_sign_up(*s));
        let Some(form) = form else { return Ok(()) };
        let configs = field_configs(tx).await?;
        fields::missing_required(&configs, form, |f| field_value(&e.user, f).is_some())
    })
}

/// Subscriber to [`ProfileUpdating`].
pub fn on_profile_updating<'a>(
    tx: &'a DatabaseTransaction,
    e: &'a ProfileUpdating,
) -> Reaction<'a> {
    Box::pin(async move {
        let configs = field_configs(tx).await?;
        for field in fields::FIELDS {
            if field_value(&e.before, field) != field_value(&e.after, field) {
                fields::check_edit(&configs, field)?;
            }
        }
        Ok(())
    })
}
