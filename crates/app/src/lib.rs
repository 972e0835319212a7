//! Use cases of brokercrm, one module per domain. Owns transactions, permission checks and
//! job enqueueing; knows nothing of HTTP.

pub mod activities;
pub mod adapters;
pub mod api_keys;
pub mod audit;
pub mod auth;
pub mod bootstrap;
pub mod clock;
pub mod config;
pub mod context;
pub mod countries;
pub mod crm;
pub mod crypto;
pub mod customers;
pub mod demo;
pub mod demo_distribution;
pub mod distribution;
pub mod email;
pub mod files;
pub mod fx;
pub mod jobs;
pub mod lead_provider;
pub mod leads;
pub mod ledger;
pub mod oauth;
pub mod password_reset;
pub mod payments;
pub mod principal;
pub mod ratelimit;
pub mod recaptcha;
pub mod security;
pub mod sessions;
pub mod settings;
pub mod tokens;
pub mod trading_groups;
pub mod users;
pub mod wallets;
pub mod workers;

pub use config::AppConfig;
pub use context::{App, WeakApp};
pub use principal::Principal;
