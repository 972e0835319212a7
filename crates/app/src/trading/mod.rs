//! Trading: instruments, prices, downtimes, NEO choices, orders and positions, the trigger evaluator, swaps, risk, watchlists, live updates.

pub mod choices;
pub mod downtimes;
pub mod events;
pub mod instruments;
pub mod live;
pub mod positions;
pub mod prices;
pub mod quotes;
pub mod risk;
pub mod swaps;
pub mod triggers;
pub mod watchlists;
