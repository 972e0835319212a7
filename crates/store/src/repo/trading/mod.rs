//! Trading: instruments, quotes and candles, downtimes, orders and positions, the trigger
//! evaluator's lease, watchlists.

pub mod downtimes;
pub mod instruments;
pub mod leases;
pub mod orders;
pub mod positions;
pub mod prices;
pub mod watchlists;
