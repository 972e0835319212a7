//! Onboarding: step stages, customer field configurations, documents (sales re-exports them),
//! file tokens, KYC applicants and SumSub webhook events.

pub mod documents;
pub mod fields;
pub mod file_tokens;
pub mod kyc;
pub mod steps;
