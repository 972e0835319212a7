//! Lead distribution settings and leads: goal types, advertisers, offers and their rotations,
//! caps with their counters, country blocks, dedup rules, affiliate API tokens, and read
//! access to leads with their routing trace and conversions. One file per resource.

pub mod advertisers;
pub mod affiliate_tokens;
pub mod caps;
pub mod country_blocks;
pub mod dedup_rules;
pub mod goal_types;
pub mod lead_reads;
pub mod offers;
pub mod rotations;

use brokercrm_core::Result;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use crate::entities::users::{self, Entity as User};
use crate::error::DbResultExt;
use crate::repo::users::UserRow;

/// Users with these ids (any order), to show their public ids next to distribution records.
pub async fn users_by_ids<C: ConnectionTrait>(conn: &C, ids: &[i64]) -> Result<Vec<UserRow>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    User::find().filter(users::Column::Id.is_in(ids.to_vec())).all(conn).await.db()
}
