//! Onboarding rules: the steps, the stages they belong to, the customer fields of each form,
//! and what a customer still has to do before a stage.

pub mod fields;
pub mod kyc;
pub mod stages;
pub use crate::identity::onboarding_steps::{OnboardingState, OnboardingStep, outstanding_steps};
