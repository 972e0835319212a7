//! Trading: trading groups (instruments, prices, orders and risk next).

pub mod events;
pub mod groups;
