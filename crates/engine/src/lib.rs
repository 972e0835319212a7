//! The in-memory trading core, pure and fast (no IO, no clock, no randomness): exact
//! fixed-point prices and lots, margin and profit/loss maths converted to the account currency
//! and rounded once, per-symbol sorted trigger books (stop loss, take profit, trailing stops,
//! limit and stop orders, stop-out thresholds) costing O(log n + fired) per tick, and the
//! stop-out order (the position losing most first, until the level recovers).
//!
//! `app` feeds it: it loads instruments, positions and prices from the database, asks the
//! engine what is due, and commits fills and closes itself.

pub mod book;
pub mod fixed;
pub mod ladder;
pub mod maths;
pub mod simulator;
pub mod stopout;
pub mod trailing;

#[cfg(test)]
mod proptests;

pub use fixed::{Lots, Price};
pub use maths::{CalcMode, Conversion, Instrument, Side};
