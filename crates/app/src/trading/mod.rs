//! Trading: trading groups and instruments (prices, orders, positions and risk next).

pub mod choices;
pub mod downtimes;
pub mod events;
pub mod groups;
pub mod instruments;
pub mod prices;
