//! Prices: where ticks come from (the `PriceFeed` trait and the seeded simulator, a price
//! provider's push, a staff member's manual quote), how they are stored (the latest quote per
//! symbol and candles per interval, out-of-order and stale ticks dropped), and the Market
//! Data operation that reads them back.

pub mod feed;
pub mod format;
pub mod ingest;
pub mod manual;
pub mod market_data;
pub mod simulator;

pub use feed::{PriceFeed, Tick};
pub use ingest::{Ingested, QuotesStored, TicksStored, ingest};
