//! Money: ledger, wallets, transactions, payments, fx, bonuses, coins, statements, reports. Its CRM API tags (seed 002).

use brokercrm_app::App;
use utoipa_axum::router::OpenApiRouter;

pub mod bonuses;
pub mod coins;
pub mod conversions;
pub mod exchange_rates;
pub mod groups;
pub mod loyalty;
pub mod mass_bonuses;
pub mod payment_providers;
pub mod reports;
pub mod statements;
pub mod transactions;
pub mod wallets;

/// The routes of every tag of this context.
pub fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .merge(bonuses::routes())
        .merge(coins::routes())
        .merge(conversions::routes())
        .merge(exchange_rates::routes())
        .merge(groups::routes())
        .merge(loyalty::routes())
        .merge(mass_bonuses::routes())
        .merge(payment_providers::routes())
        .merge(reports::routes())
        .merge(statements::routes())
        .merge(transactions::routes())
        .merge(wallets::routes())
}
