//! Money: the ledger (its two tables and every read of them: transactions, coins, reports),
//! wallets, payments, fx, bonuses.

pub mod bonuses;
pub mod fx;
pub mod groups;
pub mod ledger;
pub mod payment_providers;
pub mod payment_requests;
pub mod wallets;
