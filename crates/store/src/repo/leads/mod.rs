//! Persistence of distribution leads: the lead rows, their routing trace, dedup keys, cap
//! counters, conversions, the internal CRM's leads, auto-login links and the shared request
//! windows — plus the routing configuration read on the hot path.

pub mod auto_login;
pub mod caps;
pub mod conversions;
pub mod crm_leads;
pub mod dedup;
pub mod events;
#[allow(clippy::module_inception)]
// `repo::leads::leads`: the lead rows among the other lead tables.
pub mod leads;
pub mod routing_config;
pub mod windows;
