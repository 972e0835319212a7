//! Promotion-link tenants and their links (seed 004): insert, find by tenant and code, the
//! repeat rule's key, clicks.

use brokercrm_core::Result;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};

use crate::db::now;
use crate::entities::promo_tenants::{self, Entity as Tenant};
use crate::entities::promotion_links::{self, Column as Col, Entity as Link};
use crate::error::DbResultExt;

pub use crate::entities::promo_tenants::Model as TenantRow;
pub use crate::entities::promotion_links::Model as LinkRow;

/// Inserts a tenant with the hash of its token.
pub async fn insert_tenant<C: ConnectionTrait>(
    conn: &C,
    name: &str,
    token_hash: &str,
) -> Result<TenantRow> {
    promo_tenants::ActiveModel {
        name: Set(name.to_owned()),
        token_hash: Set(token_hash.to_owned()),
        enabled: Set(true),
        created_at: Set(now()),
        ..Default::default()
    }
    .insert(conn)
    .await
    .db()
}

pub async fn find_tenant<C: ConnectionTrait>(conn: &C, id: i64) -> Result<Option<TenantRow>> {
    Tenant::find_by_id(id).one(conn).await.db()
}

/// A link to insert.
#[derive(Debug, Clone)]
pub struct NewLink {
    pub tenant_id: i64,
    pub entity_no: String,
    pub name: String,
    pub introduce_type: String,
    pub visible_type: String,
    /// JSON array.
    pub visible_user_ids: String,
    pub target_url: Option<String>,
    pub parameter_type: Option<String>,
    pub repeat_key: Option<String>,
    /// JSON object of the free-form fields as sent.
    pub extras: String,
    pub owner_user_id: Option<i64>,
}

/// Inserts a link; a taken code or repeat key (per tenant) is a `Conflict`.
pub async fn insert_link<C: ConnectionTrait>(conn: &C, l: NewLink) -> Result<LinkRow> {
    promotion_links::ActiveModel {
        tenant_id: Set(l.tenant_id),
        entity_no: Set(l.entity_no),
        name: Set(l.name),
        introduce_type: Set(l.introduce_type),
        visible_type: Set(l.visible_type),
        visible_user_ids: Set(l.visible_user_ids),
        target_url: Set(l.target_url),
        parameter_type: Set(l.parameter_type),
        repeat_key: Set(l.repeat_key),
        extras: Set(l.extras),
        owner_user_id: Set(l.owner_user_id),
        clicks: Set(0),
        last_click_at: Set(None),
        created_at: Set(now()),
        ..Default::default()
    }
    .insert(conn)
    .await
    .db()
}

/// The tenant's link with code `entity_no`.
pub async fn find_by_code<C: ConnectionTrait>(
    conn: &C,
    tenant_id: i64,
    entity_no: &str,
) -> Result<Option<LinkRow>> {
    Link::find()
        .filter(Col::TenantId.eq(tenant_id))
        .filter(Col::EntityNo.eq(entity_no))
        .one(conn)
        .await
        .db()
}

/// The tenant's link with repeat key `key` (same owner, target and parameter type).
pub async fn find_by_repeat_key<C: ConnectionTrait>(
    conn: &C,
    tenant_id: i64,
    key: &str,
) -> Result<Option<LinkRow>> {
    Link::find()
        .filter(Col::TenantId.eq(tenant_id))
        .filter(Col::RepeatKey.eq(key))
        .one(conn)
        .await
        .db()
}

/// Up to `limit` links of any tenant with code `entity_no`, oldest first.
pub async fn by_code<C: ConnectionTrait>(
    conn: &C,
    entity_no: &str,
    limit: u64,
) -> Result<Vec<LinkRow>> {
    Link::find()
        .filter(Col::EntityNo.eq(entity_no))
        .order_by_asc(Col::Id)
        .limit(limit)
        .all(conn)
        .await
        .db()
}

/// The newest `limit` links, newest first.
pub async fn newest<C: ConnectionTrait>(conn: &C, limit: u64) -> Result<Vec<LinkRow>> {
    Link::find().order_by_desc(Col::Id).limit(limit).all(conn).await.db()
}

pub async fn find<C: ConnectionTrait>(conn: &C, id: i64) -> Result<Option<LinkRow>> {
    Link::find_by_id(id).one(conn).await.db()
}

/// Counts one click on link `id`.
pub async fn record_click<C: ConnectionTrait>(conn: &C, id: i64) -> Result<()> {
    Link::update_many()
        .col_expr(Col::Clicks, Expr::col(Col::Clicks).add(1))
        .col_expr(Col::LastClickAt, Expr::value(now()))
        .filter(Col::Id.eq(id))
        .exec(conn)
        .await
        .db()?;
    Ok(())
}
