//! The `affiliate_tokens` table: affiliate API v2 tokens, a public prefix and the SHA-256
//! hash of the token, an optional IP allow-list and default offer; revocable; found by hash
//! on the intake hot path.

use brokercrm_core::Result;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};

use crate::db::now;
use crate::entities::affiliate_tokens::{self, Entity as AffiliateToken};
use crate::error::DbResultExt;

pub use crate::entities::affiliate_tokens::Model as AffiliateTokenRow;

/// A token to store.
#[derive(Debug, Clone)]
pub struct NewAffiliateToken {
    pub uuid: String,
    pub affiliate_id: i64,
    pub name: String,
    pub prefix: String,
    pub token_hash: String,
    /// JSON array of IPs/CIDRs; `None`: any IP.
    pub ip_allowlist: Option<String>,
    pub default_offer_id: Option<i64>,
    pub created_by: Option<i64>,
}

/// The fields staff may change.
#[derive(Debug, Clone)]
pub struct AffiliateTokenData {
    pub name: String,
    pub ip_allowlist: Option<String>,
    pub default_offer_id: Option<i64>,
    pub active: bool,
}

pub async fn insert<C: ConnectionTrait>(
    conn: &C,
    t: NewAffiliateToken,
) -> Result<AffiliateTokenRow> {
    affiliate_tokens::ActiveModel {
        uuid: Set(t.uuid),
        affiliate_id: Set(t.affiliate_id),
        name: Set(t.name),
        prefix: Set(t.prefix),
        token_hash: Set(t.token_hash),
        ip_allowlist: Set(t.ip_allowlist),
        default_offer_id: Set(t.default_offer_id),
        active: Set(true),
        created_by: Set(t.created_by),
        last_used_at: Set(None),
        revoked_at: Set(None),
        created_at: Set(now()),
        ..Default::default()
    }
    .insert(conn)
    .await
    .db()
}

pub async fn update<C: ConnectionTrait>(conn: &C, id: i64, d: AffiliateTokenData) -> Result<()> {
    AffiliateToken::update_many()
        .col_expr(affiliate_tokens::Column::Name, Expr::value(d.name))
        .col_expr(affiliate_tokens::Column::IpAllowlist, Expr::value(d.ip_allowlist))
        .col_expr(affiliate_tokens::Column::DefaultOfferId, Expr::value(d.default_offer_id))
        .col_expr(affiliate_tokens::Column::Active, Expr::value(d.active))
        .filter(affiliate_tokens::Column::Id.eq(id))
        .exec(conn)
        .await
        .db()
        .map(|_| ())
}

/// Revokes a token (inactive for good); false when unknown or already revoked.
pub async fn revoke<C: ConnectionTrait>(conn: &C, id: i64) -> Result<bool> {
    let res = AffiliateToken::update_many()
        .col_expr(affiliate_tokens::Column::RevokedAt, Expr::value(now()))
        .col_expr(affiliate_tokens::Column::Active, Expr::value(false))
        .filter(affiliate_tokens::Column::Id.eq(id))
        .filter(affiliate_tokens::Column::RevokedAt.is_null())
        .exec(conn)
        .await
        .db()?;
    Ok(res.rows_affected == 1)
}

pub async fn find_by_uuid<C: ConnectionTrait>(
    conn: &C,
    uuid: &str,
) -> Result<Option<AffiliateTokenRow>> {
    AffiliateToken::find().filter(affiliate_tokens::Column::Uuid.eq(uuid)).one(conn).await.db()
}

/// One page by id, of one affiliate's tokens when `affiliate_id` is set.
pub async fn list<C: ConnectionTrait>(
    conn: &C,
    affiliate_id: Option<i64>,
    offset: u64,
    limit: u64,
) -> Result<Vec<AffiliateTokenRow>> {
    let mut q = AffiliateToken::find();
    if let Some(a) = affiliate_id {
        q = q.filter(affiliate_tokens::Column::AffiliateId.eq(a));
    }
    q.order_by_asc(affiliate_tokens::Column::Id).offset(offset).limit(limit).all(conn).await.db()
}

/// The token with this hash, whatever its state (the intake hot path).
pub async fn find_by_hash<C: ConnectionTrait>(
    conn: &C,
    hash: &str,
) -> Result<Option<AffiliateTokenRow>> {
    AffiliateToken::find().filter(affiliate_tokens::Column::TokenHash.eq(hash)).one(conn).await.db()
}

/// Records that a token was used (callers throttle this).
pub async fn touch<C: ConnectionTrait>(conn: &C, id: i64) -> Result<()> {
    AffiliateToken::update_many()
        .col_expr(affiliate_tokens::Column::LastUsedAt, Expr::value(now()))
        .filter(affiliate_tokens::Column::Id.eq(id))
        .exec(conn)
        .await
        .db()
        .map(|_| ())
}

/// The distinct default offers of an affiliate's usable tokens (active, not revoked), in
/// token order: the affiliate's default offer when there is exactly one.
pub async fn default_offer_ids<C: ConnectionTrait>(
    conn: &C,
    affiliate_id: i64,
) -> Result<Vec<i64>> {
    let rows: Vec<Option<i64>> = AffiliateToken::find()
        .select_only()
        .column(affiliate_tokens::Column::DefaultOfferId)
        .filter(affiliate_tokens::Column::AffiliateId.eq(affiliate_id))
        .filter(affiliate_tokens::Column::Active.eq(true))
        .filter(affiliate_tokens::Column::RevokedAt.is_null())
        .filter(affiliate_tokens::Column::DefaultOfferId.is_not_null())
        .order_by_asc(affiliate_tokens::Column::Id)
        .into_tuple()
        .all(conn)
        .await
        .db()?;
    let mut out: Vec<i64> = Vec::new();
    for id in rows.into_iter().flatten() {
        if !out.contains(&id) {
            out.push(id);
        }
    }
    Ok(out)
}
