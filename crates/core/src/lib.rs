//! Pure domain of brokercrm: typed ids, `Money`, roles and permissions, validated value types
//! and the one internal error type. No IO, no SQL, no HTTP.

pub mod distribution;
pub mod error;
pub mod identity;
pub mod ids;
pub mod market_data;
pub mod messaging;
pub mod money;
pub mod onboarding;
pub mod paging;
pub mod partners;
pub mod platform;
pub mod sales;
pub mod trading;
pub mod validate;

pub use error::{Error, FieldError, Result, Violations};
/// The permission vocabulary every context checks (owned by identity).
pub use identity::auth::Permission;
pub use money::amount::{Currency, Money};
