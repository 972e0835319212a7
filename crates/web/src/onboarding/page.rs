//! The onboarding page (readable by any staff; changes ManageOnboarding): each step with its
//! stage in one form, and the field matrix — per form (the profile and each form step), which
//! customer fields it shows, requires and lets the client edit — in another
//! (`app::onboarding::{steps, fields}`).

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use brokercrm_app::onboarding::{fields, steps};
use brokercrm_core::Permission;
use brokercrm_core::onboarding::fields::{FIELDS, FieldConfig};

use crate::Web;
use crate::error::{WebError, html_status};
use crate::form::FieldErrors;
use crate::layout::{Ctx, notice};
use crate::resource::Values;
use crate::session::Staff;

/// The form key of the profile (field configurations without a step).
pub const PROFILE: &str = "profile";

/// The forms of the field matrix: the profile, then the form steps.
pub fn forms() -> Vec<(&'static str, &'static str)> {
    let mut out = vec![(PROFILE, "Profile (the client's own changes)")];
    out.extend([
        ("SignupDemoForm", "Demo sign-up form"),
        ("SignupRealForm", "Real sign-up form"),
        ("CompleteAccountBeforeDepositForm", "Complete the account before a deposit"),
        ("CompleteAccountBeforeWithdrawalForm", "Complete the account before a withdrawal"),
    ]);
    out
}

/// One step and its stage as shown ("" for none), with its error.
pub struct StepRow {
    pub step: String,
    pub stage: String,
    pub error: Option<String>,
}

/// One field of one form: `(kind, ticked)` for shown, required and editable.
pub struct FieldRow {
    pub field: &'static str,
    pub boxes: [(&'static str, bool); 3],
}

/// One form's table of the matrix.
pub struct FormTable {
    pub key: &'static str,
    pub label: &'static str,
    pub rows: Vec<FieldRow>,
}

#[derive(Template)]
#[template(path = "onboarding.html")]
pub struct OnboardingPage {
    pub ctx: Ctx,
    pub can: bool,
    pub stage_options: Vec<(String, String)>,
    pub steps: Vec<StepRow>,
    pub steps_general: Vec<String>,
    pub forms: Vec<FormTable>,
    pub fields_general: Vec<String>,
}

/// The matrix of `configs`.
pub fn matrix(configs: &[FieldConfig]) -> Vec<FormTable> {
    forms()
        .into_iter()
        .map(|(key, label)| {
            let step = (key != PROFILE).then_some(key);
            let rows = FIELDS
                .iter()
                .map(|&field| {
                    let c = configs.iter().find(|c| c.field == field && c.step.as_deref() == step);
                    FieldRow {
                        field,
                        boxes: [
                            ("shown", c.is_some()),
                            ("required", c.is_some_and(|c| c.required)),
                            ("editable", c.is_some_and(|c| c.editable)),
                        ],
                    }
                })
                .collect();
            FormTable { key, label, rows }
        })
        .collect()
}

/// What a refused form puts back: the typed steps with their errors, or the typed matrix.
#[derive(Default)]
pub struct Refused {
    pub steps: Option<(Values, FieldErrors)>,
    pub fields: Option<(Vec<FieldConfig>, FieldErrors)>,
}

/// The page, 422 when a form was refused.
pub async fn render(
    web: &Web,
    staff: &Staff,
    done: Option<&str>,
    refused: Refused,
) -> Result<Response, WebError> {
    let who = staff.principal();
    let code = if refused.steps.is_some() || refused.fields.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let stored = steps::list(&web.app).await?;
    let (typed, step_errors) = refused.steps.unzip();
    let steps = stored
        .into_iter()
        .map(|s| {
            let stage = match &typed {
                Some(t) => t.get(&s.step).to_owned(),
                None => s.stage.clone().unwrap_or_default(),
            };
            let error = step_errors.as_ref().and_then(|e| e.get(&s.step)).map(str::to_owned);
            StepRow { step: s.step, stage, error }
        })
        .collect();
    let (configs, field_errors) = match refused.fields {
        Some((typed, e)) => (typed, Some(e)),
        None => (fields::list(&web.app).await?, None),
    };
    let mut stage_options = vec![(String::new(), "no stage (not required)".to_owned())];
    stage_options.extend(steps::stages().into_iter().map(|s| (s.to_owned(), s.to_owned())));
    let page = OnboardingPage {
        ctx: Ctx::new(staff, "Onboarding", "onboarding").notice(notice(done)),
        can: who.role.can(Permission::ManageOnboarding),
        stage_options,
        steps,
        steps_general: step_errors.map(|e| e.general).unwrap_or_default(),
        forms: matrix(&configs),
        fields_general: field_errors.map(|e| e.general).unwrap_or_default(),
    };
    html_status(code, &page)
}

/// `GET /admin/onboarding`.
pub async fn page(
    State(web): State<Web>,
    staff: Staff,
    Query(q): Query<Values>,
) -> Result<Response, WebError> {
    render(&web, &staff, q.done(), Refused::default()).await
}
