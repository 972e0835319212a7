//! SeaORM entities, one file per table.

pub mod activities;
pub mod adapters;
pub mod api_keys;
pub mod countries;
pub mod jobs;
pub mod oauth_clients;
pub mod oauth_codes;
pub mod refresh_tokens;
pub mod settings;
pub mod user_tokens;
pub mod users;
