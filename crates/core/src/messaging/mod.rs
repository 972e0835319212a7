//! Messaging rules: the e-mail triggers (the product's events) with the variables each
//! offers, and the conditions a template sets on its recipients.

pub mod conditions;
pub mod triggers;
