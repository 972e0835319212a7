//! Lead intake and distribution use cases: accept a lead, route it through its offer's
//! rotation to advertisers, record the trace and conversions, recover interrupted routing.

pub mod affiliate_api;
pub mod batch;
pub mod gate;
pub mod internal_crm;
pub(crate) mod outbound;
pub mod pipeline;
pub mod plan;
pub mod routing;
mod start;
mod types;

pub(crate) use outbound::{outbound_of, profile_json};
pub use pipeline::submit;
pub(crate) use types::Failure;
pub use types::{Channel, OfferRef, Outcome, RequiredField, Submission};
