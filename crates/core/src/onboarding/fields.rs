//! Customer field configurations: which fields of the customer a form shows (listed),
//! requires and lets the client edit. The fields are those of the customer record the client
//! fills in; a configuration with no step applies to the profile.

use serde::{Deserialize, Serialize};

use crate::error::Violations;
use crate::identity::onboarding_steps::OnboardingStep;
use crate::{Error, Result};

/// The configurable customer fields, as named on the wire.
pub const FIELDS: [&str; 6] =
    ["email", "firstname", "lastname", "mobilenumber", "country", "communicationLanguage"];

/// One field's configuration in one form (`step`), or in the profile (`step: None`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FieldConfig {
    /// One of `email`, `firstname`, `lastname`, `mobilenumber`, `country`,
    /// `communicationLanguage`.
    pub field: String,
    /// The form's onboarding step; `null` for the profile.
    pub step: Option<String>,
    pub required: bool,
    pub editable: bool,
}

/// Checks a whole set of configurations: known fields and steps, one per (field, step).
pub fn validate(list: &[FieldConfig]) -> Result<()> {
    let mut v = Violations::new();
    let mut seen = Vec::new();
    for (i, c) in list.iter().enumerate() {
        if !FIELDS.contains(&c.field.as_str()) {
            v.push(format!("[{i}].field"), format!("must be one of {}", FIELDS.join(", ")));
        }
        if let Some(s) = &c.step
            && OnboardingStep::parse(s).is_none()
        {
            v.push(format!("[{i}].step"), format!("unknown onboarding step '{s}'"));
        }
        let key = (c.field.as_str(), c.step.as_deref());
        if seen.contains(&key) {
            v.push(format!("[{i}]"), "configures the same field and step twice");
        }
        seen.push(key);
    }
    v.finish()
}

/// The first required field of `form` that `value` says is empty, as a validation error.
pub fn missing_required(
    configs: &[FieldConfig],
    form: OnboardingStep,
    has_value: impl Fn(&str) -> bool,
) -> Result<()> {
    let mut v = Violations::new();
    for c in configs.iter().filter(|c| c.required && c.step.as_deref() == Some(form.as_str())) {
        if !has_value(&c.field) {
            v.push(c.field.clone(), "is required");
        }
    }
    v.finish()
}

/// A field the client may not change: configured not editable in the profile, or in every
/// form that shows it (with no profile configuration).
pub fn editable(configs: &[FieldConfig], field: &str) -> bool {
    let of_field: Vec<&FieldConfig> = configs.iter().filter(|c| c.field == field).collect();
    match of_field.iter().find(|c| c.step.is_none()) {
        Some(profile) => profile.editable,
        None => of_field.is_empty() || of_field.iter().any(|c| c.editable),
    }
}

/// Refuses a change of `field` the configuration does not allow.
pub fn check_edit(configs: &[FieldConfig], field: &str) -> Result<()> {
    if editable(configs, field) {
        Ok(())
    } else {
        Err(Error::field(field, "may not be changed; ask support"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(field: &str, step: Option<&str>, required: bool, editable: bool) -> FieldConfig {
        FieldConfig { field: field.into(), step: step.map(Into::into), required, editable }
    }

    #[test]
    fn validation_required_and_editable() {
        assert!(
            validate(&[c("email", None, true, false), c("email", Some("KYC"), true, true)]).is_ok()
        );
        assert!(validate(&[c("shoe", None, true, true)]).is_err());
        assert!(validate(&[c("email", Some("Nope"), true, true)]).is_err());
        assert!(validate(&[c("email", None, true, true), c("email", None, false, true)]).is_err());
        let cfg = [c("country", Some("SignupRealForm"), true, true), c("email", None, true, false)];
        assert!(missing_required(&cfg, OnboardingStep::SignupRealForm, |_| false).is_err());
        assert!(missing_required(&cfg, OnboardingStep::SignupDemoForm, |_| false).is_ok());
        assert!(!editable(&cfg, "email"));
        assert!(editable(&cfg, "country"));
        assert!(editable(&cfg, "lastname"));
    }
}
