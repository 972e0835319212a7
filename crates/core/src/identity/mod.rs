//! Identity: users, sessions, tokens, API keys, OAuth and authentication.

pub mod auth;
pub mod scope;
