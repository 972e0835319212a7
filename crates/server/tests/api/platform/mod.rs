//! Platform: the plumbing every context stands on.

pub mod activities;
pub mod adapters;
mod architecture;
pub mod countries;
mod crash;
pub mod email_delivery;
pub mod health;
pub mod http_errors;
pub mod jobs;
pub mod openapi;
mod openapi_contract;
mod permissions;
pub mod schema;
mod security;
pub mod settings;
