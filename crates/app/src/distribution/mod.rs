//! Staff administration of lead distribution: goal types, advertisers, offers and their
//! rotations, caps, country blocks, dedup rules, affiliate API tokens, and read access to
//! leads with their routing trace. Writes need ManageLeadDistribution and are audited in the
//! same transaction; reads need ReadLeadDistribution.

pub mod advertisers;
pub mod affiliate_tokens;
pub mod auto_login;
pub mod caps;
mod config;
pub mod country_blocks;
pub mod dedup_rules;
pub mod ftd;
pub mod goal_types;
pub mod intake;
pub mod lead_provider;
pub mod leads_admin;
pub mod offers;
pub mod postback;
pub mod recovery;
pub mod rotations;

pub use config::Page;
pub(crate) use config::commit_config;
use config::{
    advertiser, affiliate, ids, new_uuid, offer_id, offer_uuids, opt_country, user_uuids,
};
pub use goal_types::ensure_system;
