//! Triggers firing on ticks with durable commits: the evaluator (one process at a time,
//! holding the lease `trading.triggers`) keeps every symbol's engine book current from the
//! database and, on each pass, fires what the ticks committed since the last pass (`tape`) and
//! the latest quotes made due — stop losses, take profits, trailing stops and pending
//! limit/stop orders — committing the closes of a pass together (`closes`) and each fill
//! alone, through the positions use cases by id and version, then screens for stop-out and
//! margin calls the wallets whose book thresholds fired or whose positions changed (`screen`).
//! See docs/trading.md ("Triggers").

mod books;
pub mod closes;
mod evaluator;
pub mod fire;
mod screen;
pub mod stopout;
mod tape;

pub use evaluator::{Evaluator, LEASE, Pass, run};
