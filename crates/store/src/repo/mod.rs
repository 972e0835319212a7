//! Repositories, one file per domain.

pub mod distribution;
pub mod identity;
pub mod market_data;
pub mod messaging;
pub mod money;
pub mod onboarding;
pub mod partners;
pub mod platform;
pub mod sales;
pub mod trading;
