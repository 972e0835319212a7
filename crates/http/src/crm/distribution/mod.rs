//! Our tag "Lead Distribution" (not in the seeds): staff administration of goal types,
//! advertisers, offers and rotations, caps, country blocks, dedup rules and affiliate API
//! tokens, and read access to distribution leads with their routing trace. All under
//! `/api/lead-distribution/`; writes need ManageLeadDistribution (admin), reads
//! ReadLeadDistribution (admin, manager, risk). Public ids are UUIDs.

pub mod advertisers;
pub mod affiliate_tokens;
pub mod caps;
pub mod country_blocks;
pub mod dedup_rules;
pub mod goal_types;
pub mod leads;
pub mod offers;
pub mod rotations;
pub mod wire;

use brokercrm_app::App;
use utoipa_axum::router::OpenApiRouter;
pub use wire::{PageQuery, TrafficFilterDto, nullable};

/// Every route of the tag.
pub fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .merge(goal_types::routes())
        .merge(advertisers::routes())
        .merge(offers::routes())
        .merge(rotations::routes())
        .merge(caps::routes())
        .merge(country_blocks::routes())
        .merge(dedup_rules::routes())
        .merge(affiliate_tokens::routes())
        .merge(leads::routes())
}
