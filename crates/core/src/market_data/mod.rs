//! Market-data entitlements (seed 003, the Retail Services API): subscriber statuses and their
//! restrictions, the API's refusals with the seed's reasons, subscription end dates.

pub mod end_date;
pub mod refusal;
pub mod status;

pub use refusal::{MdError, MdResult, Refusal};
pub use status::{Allowed, StatusConflict, SubscriberStatus};
