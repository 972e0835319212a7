//! The built-in price feed: a seeded random walk per active instrument (`engine::simulator`),
//! starting from the instrument's last stored quote (or a demo price), ticking only while the
//! instrument's trading hours are open. The default source on a fresh install and in the demo.

use std::collections::HashMap;
use std::time::Duration;

use async_trait::async_trait;
use brokercrm_core::Result;
use brokercrm_core::trading::instruments::TradingHours;
use brokercrm_engine::simulator::Walk;
use brokercrm_engine::{Price, fixed};
use brokercrm_store::repo::trading::instruments as instruments_repo;
use brokercrm_store::repo::trading::prices as repo;
use chrono::{DateTime, Utc};
use tokio::sync::watch;

use super::feed::{PriceFeed, Tick};
use super::ingest::ingest;
use crate::App;
use crate::trading::instruments::view::spec_of;

/// Steps between two reloads of the instruments.
const RELOAD_EVERY: u32 = 10;
/// Volatility of one step, parts per million of the price.
const VOLATILITY_PPM: i64 = 20;

/// A plausible start for the demo symbols; anything else starts at 100.
fn start_price(symbol: &str) -> Price {
    let units: i64 = match symbol {
        "EURUSD" => 108_500_000,
        "GBPUSD" => 127_000_000,
        "USDJPY" => 15_000_000_000,
        "XAUUSD" => 235_000_000_000,
        "US500" => 520_000_000_000,
        "BTCUSD" => 6_500_000_000_000,
        _ => 10_000_000_000,
    };
    Price::from_minor(units)
}

/// The simulator's state: one walk and the trading hours per instrument.
pub struct Simulator {
    seed: u64,
    walks: HashMap<String, (Walk, TradingHours)>,
}

impl Simulator {
    pub fn new(seed: u64) -> Self {
        Self { seed, walks: HashMap::new() }
    }

    /// Follows the active instruments: new ones get a walk, removed ones lose theirs.
    pub async fn reload(&mut self, app: &App) -> Result<()> {
        let conn = app.db().conn();
        let quotes: HashMap<String, (i64, i64)> =
            repo::quotes(conn).await?.into_iter().map(|q| (q.symbol, (q.bid, q.ask))).collect();
        let mut next = HashMap::new();
        for row in instruments_repo::list_with_status(conn, "ACTIVE").await? {
            let spec = spec_of(&row)?;
            let tick = fixed::tick_size(spec.decimals).unwrap_or(1);
            let entry = match self.walks.remove(&row.symbol) {
                Some((walk, _)) => (walk, spec.trading_hours),
                None => {
                    let mid = quotes
                        .get(&row.symbol)
                        .map(|(b, a)| Price::from_minor(b / 2 + a / 2))
                        .unwrap_or_else(|| start_price(&row.symbol));
                    let seed = self.seed ^ u64::try_from(row.id).unwrap_or(0);
                    (Walk::new(seed, mid, 10 * tick, tick, VOLATILITY_PPM), spec.trading_hours)
                }
            };
            next.insert(row.symbol, entry);
        }
        self.walks = next;
        Ok(())
    }
}

#[async_trait]
impl PriceFeed for Simulator {
    fn name(&self) -> &str {
        "simulator"
    }

    async fn poll(&mut self, now: DateTime<Utc>) -> Result<Vec<Tick>> {
        let mut out = Vec::new();
        for (symbol, (walk, hours)) in &mut self.walks {
            if hours.is_open(now) {
                let (bid, ask) = walk.step();
                out.push(Tick { symbol: symbol.clone(), bid, ask, at: now });
            }
        }
        Ok(out)
    }
}

/// Runs the simulator every `every` until `shutdown` turns true.
pub async fn run(app: App, every: Duration, mut shutdown: watch::Receiver<bool>) {
    let mut sim = Simulator::new(0x5EED);
    let mut n = 0u32;
    loop {
        if *shutdown.borrow() {
            return;
        }
        if n.is_multiple_of(RELOAD_EVERY)
            && let Err(e) = sim.reload(&app).await
        {
            tracing::error!(error = ?e, "price simulator: loading instruments failed");
        }
        n = n.wrapping_add(1);
        let now = app.clock().now();
        match sim.poll(now).await {
            Ok(ticks) if !ticks.is_empty() => {
                if let Err(e) = ingest(&app, sim.name(), ticks).await {
                    tracing::error!(error = ?e, "price simulator: storing ticks failed");
                }
            }
            Ok(_) => {}
            Err(e) => tracing::error!(error = ?e, "price simulator failed"),
        }
        tokio::select! {
            _ = tokio::time::sleep(every) => {}
            _ = shutdown.changed() => {}
        }
    }
}
