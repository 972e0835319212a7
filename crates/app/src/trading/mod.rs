//! Trading: instruments, prices, downtimes, NEO choices, orders and positions (risk next).

pub mod choices;
pub mod downtimes;
pub mod events;
pub mod instruments;
pub mod positions;
pub mod prices;
