//! Lead distribution: intake, routing configuration, the lead-provider API, postbacks, FTD.

pub mod admin;
pub mod affiliate_v2;
pub mod affiliate_v2_limits;
pub mod batch;
pub mod client_compat;
pub mod ftd;
pub mod lead_provider;
pub mod postbacks;
pub mod recovery;
pub mod rotation;
pub mod routing;
pub mod security;
