//! Money: ledger, wallets, transactions, payments, fx, bonuses, coins, statements, reports.

pub mod bonuses;
pub mod coins;
pub mod fx;
pub mod ledger;
pub mod payment_providers;
pub mod payment_requests;
pub mod reports;
pub mod transactions;
pub mod wallets;
