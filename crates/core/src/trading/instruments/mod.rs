//! Instruments (seed tag Instruments): the validated fields of an instrument, its trading
//! hours and the numbers the trading engine reads from it.

pub mod fields;
pub mod hours;
pub mod spec;

pub use fields::{Category, InstrumentStatus, Mode, SwapMode};
pub use hours::{Session, TradingHours};
pub use spec::{InstrumentInput, InstrumentSpec};
