//! The staff portal (`crates/web`): sessions, CSRF, errors and permissions in-process
//! (`portal`, `screens`), and the main flows in a real browser (`browser`).

mod advertisers;
mod browser;
mod browser_trading;
mod bulk;
mod email_templates;
mod instruments;
mod kyc;
mod market_data;
mod messaging;
mod onboarding;
mod partners;
mod permissions;
mod portal;
mod rules;
mod screens;
mod setup;
mod tokens;
mod trading;
mod trading_forms;
mod transactions;
