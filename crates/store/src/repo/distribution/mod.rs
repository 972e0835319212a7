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
pub mod lead_reads;
pub mod leads;
pub mod offers;
pub mod rotations;
pub mod routing_config;
pub mod windows;

use brokercrm_core::Result;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use crate::entities::users::{self, Entity as User};
use crate::error::DbResultExt;
use crate::repo::identity::users::UserRow;

/// Users with these ids (any order), to show their public ids next to distribution records.
pub async fn users_by_ids<C: ConnectionTrait>(conn: &C, ids: &[i64]) -> Result<Vec<UserRow>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    User::find().filter(users::Column::Id.is_in(ids.to_vec())).all(conn).await.db()
}
