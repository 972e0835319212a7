//! Trading: instruments, prices and market data, NEO choices, downtimes (orders and positions
//! next).

pub mod choices;
pub mod downtimes;
pub mod instruments;
pub mod prices;
