//! Market-data entitlements (seed 003, the Retail Services API): applications with their API
//! keys and rules, feeds, accounts, activation orders completed by the signup wizard and the
//! application's confirmation (in either order), subscriptions and their expiry, generated
//! credentials, signed access tokens, profile links, trial tracking; the staff's admin of
//! applications, feeds and accounts.

pub mod account_batch;
pub mod accounts;
pub mod activation;
pub mod admin_accounts;
pub mod applications;
pub mod cancel;
pub mod completion;
pub mod confirm;
pub mod credentials;
pub mod expiry;
pub mod feeds;
pub mod key;
pub mod links;
pub mod profile;
pub mod signing;
pub mod state;
pub mod subscriptions;
pub mod tokens;
pub mod trials;
pub mod wizard;

pub use brokercrm_core::market_data::{MdError, MdResult, Refusal};
pub use brokercrm_store::repo::market_data::applications::ApplicationRow;
pub use key::{AuthFailure, authenticate};
pub use state::MarketData;
