//! Partners: IB commission models, introducers and attribution, the commission engine
//! (accrual, commission ledger, payouts), promotion links (seed 004).

pub mod accrual;
pub mod affiliates;
pub mod analytics;
pub mod commission_models;
pub mod directory;
pub mod earnings;
pub mod events;
pub mod introducers;
pub mod ledger;
pub mod marketing;
mod people;
pub use people::Person;
pub mod payouts;
pub mod promo_links;
pub mod report;
