//! Identity: users, sessions, tokens, API keys, OAuth and authentication.

pub mod auth;
pub mod onboarding_steps;
pub mod scope;
