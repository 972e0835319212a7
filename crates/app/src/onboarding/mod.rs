//! Onboarding: the stage of each step and the customer fields of each form (configuration),
//! what a customer still has to do before a stage and its enforcement at sign-in, deposit and
//! withdrawal, the field rules applied to sign-up and profile changes, documents and their
//! file tokens, and KYC through SumSub (SDK tokens, the webhook).

pub mod config;
pub mod documents;
pub mod fields;
pub mod file_tokens;
pub mod hooks;
pub mod kyc;
pub mod progress;
pub mod steps;
pub mod sumsub_webhook;
