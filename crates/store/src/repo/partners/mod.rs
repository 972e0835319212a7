//! Partners: commission models, introducers and referrals, the commission ledger, payout
//! requests, promotion links.

pub mod affiliates;
pub mod analytics;
pub mod commission_models;
pub mod commission_records;
pub mod introducers;
pub mod marketing;
pub mod payout_requests;
pub mod promo_links;
