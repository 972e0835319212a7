//! Entity for the `affiliate_tokens` table: affiliate API v2 tokens: stored as SHA-256 hashes, with an optional IP allow-list.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "affiliate_tokens")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub uuid: String,
    pub affiliate_id: i64,
    pub name: String,
    pub prefix: String,
    pub token_hash: String,
    /// JSON array of IPs/CIDRs; `None` or empty: any IP.
    pub ip_allowlist: Option<String>,
    pub default_offer_id: Option<i64>,
    pub active: bool,
    pub created_by: Option<i64>,
    pub last_used_at: Option<DateTimeUtc>,
    pub revoked_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
