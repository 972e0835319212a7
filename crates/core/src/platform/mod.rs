//! Platform: the plumbing every context stands on.

pub mod countries;
pub mod net;
