//! Money: ledger, wallets, transactions, payments, fx, bonuses, coins, statements, reports.

pub mod bonuses;
pub mod coins;
pub mod events;
pub mod fx;
pub mod groups;
pub mod ledger;
pub mod payments;
pub mod reports;
pub(crate) mod scope;
pub mod transactions;
pub mod wallets;
