//! Trading rules: trading groups, instruments (fields, trading hours, size grid).

pub mod choices;
pub mod groups;
pub mod instruments;
pub mod prices;
