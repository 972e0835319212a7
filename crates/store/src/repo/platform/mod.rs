//! Platform: the plumbing every context stands on.

pub mod activities;
pub mod adapters;
pub mod countries;
pub mod settings;
pub mod windows;
