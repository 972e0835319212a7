//! Lead intake and distribution use cases: accept a lead, route it through its offer's
//! rotation to advertisers, record the trace and conversions, recover interrupted routing.

pub mod intake;

pub use intake::{Channel, OfferRef, Outcome, RequiredField, Submission, submit};
