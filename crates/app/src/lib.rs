//! Use cases of brokercrm, one module per domain. Owns transactions, permission checks and
//! job enqueueing; knows nothing of HTTP.

pub mod config;
pub mod context;
pub mod demo;
pub mod distribution;
pub mod identity;
pub mod market_data;
pub mod messaging;
pub mod money;
pub mod onboarding;
pub mod partners;
pub mod platform;
pub mod sales;
pub mod trading;
pub mod workers;

pub use config::AppConfig;
pub use context::{App, WeakApp};
pub use identity::principal::Principal;
