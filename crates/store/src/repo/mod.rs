//! Repositories, one file per domain.

pub mod activities;
pub mod adapters;
pub mod api_keys;
pub mod bonuses;
pub mod calls;
pub mod coins;
pub mod commission_models;
pub mod countries;
pub mod crm;
pub mod customers;
pub mod dashboard;
pub mod distribution;
pub mod fx;
pub mod leads;
pub mod ledger;
pub mod oauth;
pub mod payment_providers;
pub mod payment_requests;
pub mod refresh_tokens;
pub mod reports;
pub mod settings;
pub mod trading_groups;
pub mod transactions;
pub mod user_tokens;
pub mod users;
pub mod wallets;
