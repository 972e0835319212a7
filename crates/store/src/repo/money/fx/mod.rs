//! Currency conversion storage: exchange rates and configured conversion paths.

pub mod conversions;
pub mod rates;
