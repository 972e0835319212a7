//! Lead distribution settings and leads: goal types, advertisers, offers and their rotations,
//! caps with their counters, country blocks, dedup rules, affiliate API tokens, and read
//! access to leads with their routing trace and conversions. One file per resource.

pub mod advertisers;
pub mod affiliate_tokens;
pub mod auto_login;
pub mod cap_counters;
pub mod caps;
pub mod country_blocks;
pub mod crm_leads;
pub mod dedup_keys;
pub mod dedup_rules;
pub mod ftd;
pub mod goal_types;
pub mod lead_events;
pub mod leads;
pub mod offers;
pub mod rotations;
