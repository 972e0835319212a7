//! Trading: trading groups, instruments, quotes and candles, downtimes (orders and positions
//! next).

pub mod downtimes;
pub mod groups;
pub mod instruments;
pub mod prices;
