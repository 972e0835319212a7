//! Links to the signup wizard (single use) and the profile page, stored as SHA-256 hashes of
//! their tokens, with an expiry.

use brokercrm_core::Result;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

use crate::entities::md_links::{self as t, Column as Col, Entity as Links};
use crate::error::DbResultExt;

pub use crate::entities::md_links::Model as LinkRow;

pub const SIGNUP: &str = "SIGNUP";
pub const PROFILE: &str = "PROFILE";

pub async fn insert<C: ConnectionTrait>(
    conn: &C,
    token_hash: String,
    account_id: i64,
    order_id: Option<i64>,
    kind: &str,
    expires_at: DateTime<Utc>,
    at: DateTime<Utc>,
) -> Result<LinkRow> {
    t::ActiveModel {
        token_hash: Set(token_hash),
        account_id: Set(account_id),
        order_id: Set(order_id),
        kind: Set(kind.to_owned()),
        expires_at: Set(expires_at),
        used_at: Set(None),
        created_at: Set(at),
        ..Default::default()
    }
    .insert(conn)
    .await
    .db()
}

/// The unused, unexpired link of `kind` with this token hash.
pub async fn find_live<C: ConnectionTrait>(
    conn: &C,
    token_hash: &str,
    kind: &str,
    now: DateTime<Utc>,
) -> Result<Option<LinkRow>> {
    Links::find()
        .filter(Col::TokenHash.eq(token_hash))
        .filter(Col::Kind.eq(kind))
        .filter(Col::UsedAt.is_null())
        .filter(Col::ExpiresAt.gt(now))
        .one(conn)
        .await
        .db()
}

/// Spends a link once; false when it was already spent (a concurrent submit).
pub async fn spend<C: ConnectionTrait>(conn: &C, id: i64, at: DateTime<Utc>) -> Result<bool> {
    let res = Links::update_many()
        .col_expr(Col::UsedAt, Expr::value(at))
        .filter(Col::Id.eq(id))
        .filter(Col::UsedAt.is_null())
        .exec(conn)
        .await
        .db()?;
    Ok(res.rows_affected == 1)
}

/// Ends the account's unused links of `kind` (a new activation replaces them).
pub async fn expire_unused<C: ConnectionTrait>(
    conn: &C,
    account_id: i64,
    kind: &str,
    at: DateTime<Utc>,
) -> Result<()> {
    Links::update_many()
        .col_expr(Col::UsedAt, Expr::value(at))
        .filter(Col::AccountId.eq(account_id))
        .filter(Col::Kind.eq(kind))
        .filter(Col::UsedAt.is_null())
        .exec(conn)
        .await
        .db()
        .map(|_| ())
}
