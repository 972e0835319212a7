//! Identity: users, sessions, tokens, API keys, OAuth and authentication.

pub mod api_keys;
pub mod oauth;
pub mod refresh_tokens;
pub mod scope;
pub mod user_tokens;
pub mod users;
pub mod web_sessions;
