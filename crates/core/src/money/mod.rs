//! Money: ledger, wallets, transactions, payments, fx, bonuses, coins, statements, reports.

pub mod amount;
pub mod bonuses;
pub mod coins;
pub mod fx;
pub mod groups;
pub mod ledger;
pub mod payments;
pub mod wallets;
