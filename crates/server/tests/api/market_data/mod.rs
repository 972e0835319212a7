//! Market data (seed 003): the staff's admin API, every failure row of the Retail Services
//! API, the signup wizard through its HTML form, tokens, cancel and expiry.

pub mod accounts;
pub mod activation;
pub mod admin;
pub mod hot_paths;
pub mod tokens;
pub mod wizard;
