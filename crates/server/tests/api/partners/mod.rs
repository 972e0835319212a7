//! Partners: commission models, the commission engine (accrual, ledger, payouts), promotion
//! links (seed 004).

pub mod accrual;
pub mod analytics;
mod bench;
pub mod clawback;
pub mod commission_models;
pub mod marketing;
pub mod payouts;
pub mod promo_links;
pub mod report;
