//! The CRM API (seed 002): one module per seed tag, merged into one OpenAPI router.

use brokercrm_app::App;
use utoipa_axum::router::OpenApiRouter;

pub mod activities;
pub mod adapters;
pub mod api_keys;
pub mod bonuses;
pub mod bookmarks;
pub mod calls;
pub mod coins;
pub mod comments;
pub mod commission_models;
pub mod communications;
pub mod conversions;
pub mod countries;
mod crm_paging;
pub mod customers;
pub mod dashboard;
pub mod exchange_rates;
pub mod forgot_password;
pub mod groups;
pub mod health;
pub mod lead_distribution;
pub mod leads;
pub mod loyalty;
pub mod mass_bonuses;
pub mod oauth_clients;
pub mod payment_providers;
pub mod reports;
pub mod sales_desk;
pub mod sales_status;
pub mod sessions;
pub mod settings;
pub mod statements;
pub mod transactions;
pub mod users;
pub mod wallets;

/// Every CRM tag's routes.
pub fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .merge(activities::routes())
        .merge(adapters::routes())
        .merge(api_keys::routes())
        .merge(conversions::routes())
        .merge(bookmarks::routes())
        .merge(comments::routes())
        .merge(communications::routes())
        .merge(countries::routes())
        .merge(exchange_rates::routes())
        .merge(forgot_password::routes())
        .merge(groups::routes())
        .merge(health::routes())
        .merge(lead_distribution::routes())
        .merge(oauth_clients::routes())
        .merge(sales_desk::routes())
        .merge(sales_status::routes())
        .merge(payment_providers::routes())
        .merge(sessions::routes())
        .merge(settings::routes())
        .merge(users::routes())
        .merge(wallets::routes())
        .merge(bonuses::routes())
        .merge(mass_bonuses::routes())
        .merge(coins::routes())
        .merge(commission_models::routes())
        .merge(loyalty::routes())
        .merge(transactions::routes())
        .merge(reports::routes())
        .merge(statements::routes())
        .merge(calls::routes())
        .merge(dashboard::routes())
        .merge(customers::routes())
        .merge(leads::routes())
}
