//! The lead-distribution domain: error types of seed 001, lead profiles, and the pure routing
//! rules (traffic filters, caps, rotation order) the intake use case applies.

pub mod crm_leads;
pub mod error_type;
pub mod profile;
pub mod register_fields;
pub mod rules;

pub use error_type::LeadErrorType;
