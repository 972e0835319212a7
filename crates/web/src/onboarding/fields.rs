//! Saving the customer field configurations (ManageOnboarding; the whole set replaced,
//! audited — `app::onboarding::fields::update`). The form's ticks `<form>.<field>.<kind>`
//! (kind `shown`, `required` or `editable`; required or editable imply shown) become the
//! set; configurations of steps the matrix does not show are kept as they are.

use std::collections::BTreeMap;

use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use brokercrm_app::onboarding::fields;
use brokercrm_core::Error;
use brokercrm_core::onboarding::fields::FieldConfig;

use super::page::{PROFILE, Refused, forms, render};
use crate::Web;
use crate::error::WebError;
use crate::form::{FieldErrors, Posted, is_form_error};
use crate::resource::Values;
use crate::session::Staff;

/// The set the ticks describe, in the order they were sent.
fn typed(f: &Values) -> Vec<FieldConfig> {
    let mut set: BTreeMap<(String, String), (usize, bool, bool)> = BTreeMap::new();
    for (i, (name, value)) in f.0.iter().enumerate() {
        let parts: Vec<&str> = name.splitn(3, '.').collect();
        let [form, field, kind] = parts[..] else { continue };
        if value.trim().is_empty() || !["shown", "required", "editable"].contains(&kind) {
            continue;
        }
        let e = set.entry((form.to_owned(), field.to_owned())).or_insert((i, false, false));
        e.1 |= kind == "required";
        e.2 |= kind == "editable";
    }
    let mut out: Vec<(usize, FieldConfig)> = set
        .into_iter()
        .map(|((form, field), (i, required, editable))| {
            let step = (form != PROFILE).then_some(form);
            (i, FieldConfig { field, step, required, editable })
        })
        .collect();
    out.sort_by_key(|(i, _)| *i);
    out.into_iter().map(|(_, c)| c).collect()
}

/// `e` with each `[i]...` field named by its form and field ("SignupRealForm email").
fn named(e: Error, set: &[FieldConfig]) -> Error {
    let Error::Validation(list) = e else { return e };
    let list = list
        .into_iter()
        .map(|mut f| {
            let i = f.field.strip_prefix('[').and_then(|r| r.split(']').next());
            if let Some(c) = i.and_then(|i| i.parse::<usize>().ok()).and_then(|i| set.get(i)) {
                let form = c.step.as_deref().unwrap_or(PROFILE);
                f.field = format!("{form} {}", c.field);
            }
            f
        })
        .collect();
    Error::Validation(list)
}

/// `POST /admin/onboarding/fields`.
pub async fn save(
    State(web): State<Web>,
    staff: Staff,
    Posted(f): Posted<Values>,
) -> Result<Response, WebError> {
    let shown: Vec<&str> = forms().into_iter().map(|(k, _)| k).filter(|k| *k != PROFILE).collect();
    let mut set = typed(&f);
    // Configurations of steps outside the matrix stay as they are.
    let others = fields::list(&web.app)
        .await?
        .into_iter()
        .filter(|c| c.step.as_deref().is_some_and(|s| !shown.contains(&s)));
    set.extend(others);
    match fields::update(&web.app, staff.principal(), set.clone()).await {
        Ok(_) => Ok(Redirect::to("/admin/onboarding?done=saved").into_response()),
        Err(e) if is_form_error(&e) => {
            let errors = FieldErrors::from_error(&named(e, &set), &[]);
            render(&web, &staff, None, Refused { steps: None, fields: Some((set, errors)) }).await
        }
        Err(e) => Err(e.into()),
    }
}
