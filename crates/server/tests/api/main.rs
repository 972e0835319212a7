//! The one integration-test binary: drives the real router in-process, each test on its own
//! database (a temp SQLite file; a fresh PostgreSQL database when `TEST_DATABASE_URL` is set).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod helpers;

mod activities;
mod adapters;
mod affiliate_v2;
mod affiliate_v2_limits;
mod api_keys;
mod bonuses;
mod bootstrap;
mod calls;
mod coins;
mod countries;
mod crm_leads;
mod crm_leads_import;
mod crm_leads_work;
mod customers;
mod customers_affiliate;
mod customers_filters;
mod dashboard;
mod email_delivery;
mod forgot_password;
mod fx;
mod health;
mod http_errors;
mod jobs;
mod lead_batch;
mod lead_distribution_admin;
mod lead_fixtures;
mod lead_ftd;
mod lead_provider;
mod lead_recovery;
mod lead_rotation;
mod lead_routing;
mod ledger;
mod ledger_model;
mod oauth;
mod openapi;
mod payment_providers;
mod postbacks;
mod reports;
mod sales_crm;
mod schema;
mod sessions;
mod settings;
mod statements;
mod transactions;
mod transactions_deposits;
mod transactions_export;
mod transactions_payout;
mod users;
mod wallet_transfer_batch;
mod wallets;
mod wallets_client;
