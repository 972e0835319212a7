//! Market data (seed 003): one module per table.

pub mod accounts;
pub mod agreements;
pub mod applications;
pub mod feeds;
pub mod history;
pub mod links;
pub mod orders;
pub mod subscriptions;
pub mod trials;
