//! Identity: users, sessions, tokens, API keys, OAuth and authentication.

pub mod api_keys;
pub mod auth;
pub mod bootstrap;
pub mod downloads;
pub mod events;
pub mod impersonation;
pub mod oauth;
pub mod one_time_tokens;
pub mod password_reset;
pub mod principal;
pub mod scope;
pub mod security;
pub mod sessions;
pub mod throttle;
pub mod tokens;
pub mod users;
pub mod web_sessions;
