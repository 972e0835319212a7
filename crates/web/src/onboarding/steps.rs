//! Saving the stage of every onboarding step at once (ManageOnboarding; all or none, each
//! change audited — `app::onboarding::steps::update_all`); a stage that cannot hold a step is
//! shown beside that step.

use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use brokercrm_app::onboarding::steps;
use brokercrm_core::onboarding::OnboardingStep;

use super::page::{Refused, render};
use crate::Web;
use crate::error::WebError;
use crate::form::{FieldErrors, Posted, is_form_error};
use crate::resource::Values;
use crate::session::Staff;

/// `POST /admin/onboarding/steps`: one select per step, named by the step.
pub async fn save(
    State(web): State<Web>,
    staff: Staff,
    Posted(f): Posted<Values>,
) -> Result<Response, WebError> {
    let changes: Vec<(String, Option<String>)> = OnboardingStep::ALL
        .iter()
        .map(|s| s.as_str())
        .filter(|s| f.has(s))
        .map(|s| (s.to_owned(), f.opt(s)))
        .collect();
    match steps::update_all(&web.app, staff.principal(), &changes).await {
        Ok(_) => Ok(Redirect::to("/admin/onboarding?done=saved").into_response()),
        Err(e) if is_form_error(&e) => {
            let names: Vec<(&str, &str)> =
                OnboardingStep::ALL.iter().map(|s| (s.as_str(), s.as_str())).collect();
            let errors = FieldErrors::from_error(&e, &names);
            render(&web, &staff, None, Refused { steps: Some((f, errors)), fields: None }).await
        }
        Err(e) => Err(e.into()),
    }
}
