//! The OpenAPI tag of the market-data admin operations: our own (seed 002's "Market Data" tag
//! is the trading candles).

/// The tag of these operations.
pub const TAG: &str = "Market Data Entitlements";
