//! Trading: instruments, prices and market data, NEO choices, downtimes, orders and positions, live updates.

pub mod bench;
pub mod choices;
pub mod demo;
pub mod downtimes;
pub mod instruments;
pub mod lane;
pub mod margin;
pub mod markups;
pub mod neo;
pub mod positions;
pub mod prices;
pub mod reference_cache;
pub mod risk;
pub mod stream;
pub mod stream_ending;
pub mod stream_relay;
pub mod swaps;
pub mod triggers;
