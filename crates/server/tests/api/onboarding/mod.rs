//! Onboarding: stages and their enforcement, forms and field configurations.

pub mod fields;
pub mod stages;
pub mod documents;
pub mod kyc;
