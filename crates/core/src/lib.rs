//! Pure domain of brokercrm: typed ids, `Money`, roles and permissions, validated value types
//! and the one internal error type. No IO, no SQL, no HTTP.

pub mod auth;
pub mod bonuses;
pub mod calls;
pub mod coins;
pub mod commissions;
pub mod countries;
pub mod crm;
pub mod customers;
pub mod error;
pub mod fx;
pub mod ids;
pub mod leads;
pub mod ledger;
pub mod money;
pub mod net;
pub mod onboarding;
pub mod payments;
pub mod validate;
pub mod wallets;

pub use error::{Error, FieldError, Result, Violations};
pub use money::{Currency, Money};
