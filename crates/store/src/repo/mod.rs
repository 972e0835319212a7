//! Repositories, one file per domain.

pub mod activities;
pub mod adapters;
pub mod api_keys;
pub mod countries;
pub mod crm;
pub mod customers;
pub mod distribution;
pub mod fx;
pub mod leads;
pub mod ledger;
pub mod oauth;
pub mod payment_providers;
pub mod refresh_tokens;
pub mod settings;
pub mod trading_groups;
pub mod user_tokens;
pub mod users;
pub mod wallets;
