//! Trading: instruments, quotes and candles, downtimes, orders and positions.

pub mod downtimes;
pub mod instruments;
pub mod orders;
pub mod positions;
pub mod prices;
