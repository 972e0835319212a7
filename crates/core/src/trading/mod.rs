//! Trading rules: instruments (fields, trading hours, size grid), positions and orders,
//! swaps, group markups and NEO sizing.

pub mod choices;
pub mod instruments;
pub mod positions;
pub mod prices;
pub mod swaps;
