//! A source of ticks. The built-in simulator is one; a real feed adapter implements the same
//! trait (outbound feeds go through the guarded client in `integrations`), and a provider that
//! pushes to us uses the push endpoint instead.

use async_trait::async_trait;
use brokercrm_core::Result;
use brokercrm_engine::Price;
use chrono::{DateTime, Utc};

/// One price of one symbol.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tick {
    pub symbol: String,
    pub bid: Price,
    pub ask: Price,
    /// When the price was quoted at its source.
    pub at: DateTime<Utc>,
}

/// A source the price loop polls.
#[async_trait]
pub trait PriceFeed: Send {
    /// The source name stored with each quote (`simulator`, a provider's name).
    fn name(&self) -> &str;

    /// The ticks since the last call (possibly none).
    async fn poll(&mut self, now: DateTime<Utc>) -> Result<Vec<Tick>>;
}
