//! Identity: users, sessions, tokens, API keys, OAuth and authentication.

pub mod api_keys;
pub mod bootstrap;
mod forgery;
pub mod forgot_password;
pub mod oauth;
pub mod security;
pub mod sessions;
pub mod throttling;
pub mod users;
