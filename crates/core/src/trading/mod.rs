//! Trading rules: instruments (fields, trading hours, size grid), positions and orders.

pub mod choices;
pub mod instruments;
pub mod positions;
pub mod prices;
