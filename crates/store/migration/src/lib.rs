//! The one set of schema migrations for SQLite and PostgreSQL, written with SeaQuery builders.

pub use sea_orm_migration::prelude::*;

mod m0001_identity;
mod m0002_platform;
mod m0003_jobs;
mod m0004_seed_countries;
mod m0005_lead_distribution;
mod m0006_ledger;
mod m0007_wallets;
mod m0008_fx;
mod m0009_sales_crm;
mod m0010_country_block_unique;
mod m0011_payment_providers;
mod m0012_crm_leads_customer;
mod m0013_payment_requests;
mod m0014_bonuses_coins;
mod m0015_crm_leads_sales;
mod m0016_customers;
mod m0017_calls;
mod m0018_ledger_created_at;
mod m0019_crm_leads_triage;
mod m0020_commission_models;
mod m0021_token_generation;
mod m0022_ledger_books;
mod m0023_market_data;
mod m0024_web_sessions;
mod m0025_trading;
mod m0025a_prices;
mod m0025b_downtimes;
mod m0027_positions;
mod m0028_partners;
mod m0029_onboarding;
mod m0029a_kyc;
mod m0029b_messaging;
mod m0030_hot_indexes;
mod m0031_push;
mod m0032_partner_marketing;
mod m0033_triggers;
mod m0034_clawback;
mod m0035_trading_swaps;
mod m0037_partial_indexes;
mod m0038_append_only_checks;
mod m0039_open_due_index;
mod m0040_jobs_kind_index;
mod util;

/// Applies every migration in order.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m0001_identity::Migration),
            Box::new(m0002_platform::Migration),
            Box::new(m0003_jobs::Migration),
            Box::new(m0004_seed_countries::Migration),
            Box::new(m0005_lead_distribution::Migration),
            Box::new(m0006_ledger::Migration),
            Box::new(m0007_wallets::Migration),
            Box::new(m0008_fx::Migration),
            Box::new(m0009_sales_crm::Migration),
            Box::new(m0010_country_block_unique::Migration),
            Box::new(m0011_payment_providers::Migration),
            Box::new(m0012_crm_leads_customer::Migration),
            Box::new(m0013_payment_requests::Migration),
            Box::new(m0014_bonuses_coins::Migration),
            Box::new(m0015_crm_leads_sales::Migration),
            Box::new(m0016_customers::Migration),
            Box::new(m0017_calls::Migration),
            Box::new(m0018_ledger_created_at::Migration),
            Box::new(m0019_crm_leads_triage::Migration),
            Box::new(m0020_commission_models::Migration),
            Box::new(m0021_token_generation::Migration),
            Box::new(m0022_ledger_books::Migration),
            Box::new(m0023_market_data::Migration),
            Box::new(m0024_web_sessions::Migration),
            Box::new(m0025_trading::Migration),
            Box::new(m0025a_prices::Migration),
            Box::new(m0025b_downtimes::Migration),
            Box::new(m0027_positions::Migration),
            Box::new(m0028_partners::Migration),
            Box::new(m0029_onboarding::Migration),
            Box::new(m0029a_kyc::Migration),
            Box::new(m0029b_messaging::Migration),
            Box::new(m0030_hot_indexes::Migration),
            Box::new(m0031_push::Migration),
            Box::new(m0032_partner_marketing::Migration),
            Box::new(m0033_triggers::Migration),
            Box::new(m0034_clawback::Migration),
            Box::new(m0035_trading_swaps::Migration),
            Box::new(m0037_partial_indexes::Migration),
            Box::new(m0038_append_only_checks::Migration),
            Box::new(m0039_open_due_index::Migration),
            Box::new(m0040_jobs_kind_index::Migration),
        ]
    }
}
