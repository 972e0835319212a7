//! transfer.

pub mod lane;
pub mod plan;
