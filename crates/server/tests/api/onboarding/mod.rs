//! Onboarding: stages and their enforcement, forms and field configurations.

pub mod documents;
pub mod fields;
pub mod kyc;
pub mod stages;
