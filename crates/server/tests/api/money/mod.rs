//! Money: ledger, wallets, transactions, payments, fx, bonuses, coins, statements, reports.

pub mod bonuses;
pub mod coins;
pub mod deposit_batch;
pub mod fx;
pub mod ledger;
pub mod ledger_model;
pub mod manual_batch;
pub mod payment_providers;
pub mod reports;
pub mod security;
pub mod statements;
pub mod transactions;
pub mod transactions_deposits;
pub mod transactions_export;
pub mod transactions_payout;
pub mod transfer_batch;
pub mod wallets;
pub mod wallets_client;
