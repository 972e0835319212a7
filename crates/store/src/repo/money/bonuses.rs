//! Bonus rules: insert (a taken id is a conflict), find, list in creation order, update,
//! delete, and the rules of some types in force at an instant.

use brokercrm_core::Result;
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};

use crate::db::now;
use crate::entities::bonuses::{self, Column as B, Entity as Bonus};
use crate::error::DbResultExt;

pub use crate::entities::bonuses::Model as BonusRow;

/// A rule's stored fields (everything but id and timestamps).
#[derive(Debug, Clone)]
pub struct BonusFields {
    pub kind: String,
    pub amount_usd: Option<i64>,
    pub percent_hundredths: Option<i32>,
    pub start_at: DateTime<Utc>,
    pub end_at: DateTime<Utc>,
    pub minimum_deposit_usd: Option<i64>,
    pub maximum_amount_usd: Option<i64>,
    pub add_to_credit: bool,
    pub methods: String,
}

/// Largest number of rules listed or matched at once.
pub const MAX_RULES: u64 = 1000;

pub async fn insert<C: ConnectionTrait>(conn: &C, id: &str, f: BonusFields) -> Result<BonusRow> {
    let t = now();
    bonuses::ActiveModel {
        id: Set(id.to_owned()),
        kind: Set(f.kind),
        amount_usd: Set(f.amount_usd),
        percent_hundredths: Set(f.percent_hundredths),
        start_at: Set(f.start_at),
        end_at: Set(f.end_at),
        minimum_deposit_usd: Set(f.minimum_deposit_usd),
        maximum_amount_usd: Set(f.maximum_amount_usd),
        add_to_credit: Set(f.add_to_credit),
        methods: Set(f.methods),
        created_at: Set(t),
        updated_at: Set(t),
    }
    .insert(conn)
    .await
    .db()
}

pub async fn find<C: ConnectionTrait>(conn: &C, id: &str) -> Result<Option<BonusRow>> {
    Bonus::find_by_id(id.to_owned()).one(conn).await.db()
}

/// Every rule, oldest first (at most [`MAX_RULES`]).
pub async fn list<C: ConnectionTrait>(conn: &C) -> Result<Vec<BonusRow>> {
    Bonus::find()
        .order_by_asc(B::CreatedAt)
        .order_by_asc(B::Id)
        .limit(MAX_RULES)
        .all(conn)
        .await
        .db()
}

/// Replaces a rule's fields; returns the stored row, `None` when it does not exist.
pub async fn update<C: ConnectionTrait>(
    conn: &C,
    id: &str,
    f: BonusFields,
) -> Result<Option<BonusRow>> {
    let Some(old) = find(conn, id).await? else { return Ok(None) };
    let mut m: bonuses::ActiveModel = old.into();
    m.kind = Set(f.kind);
    m.amount_usd = Set(f.amount_usd);
    m.percent_hundredths = Set(f.percent_hundredths);
    m.start_at = Set(f.start_at);
    m.end_at = Set(f.end_at);
    m.minimum_deposit_usd = Set(f.minimum_deposit_usd);
    m.maximum_amount_usd = Set(f.maximum_amount_usd);
    m.add_to_credit = Set(f.add_to_credit);
    m.methods = Set(f.methods);
    m.updated_at = Set(now());
    m.update(conn).await.db().map(Some)
}

/// Deletes a rule; returns whether it existed.
pub async fn delete<C: ConnectionTrait>(conn: &C, id: &str) -> Result<bool> {
    let r = Bonus::delete_by_id(id.to_owned()).exec(conn).await.db()?;
    Ok(r.rows_affected == 1)
}

/// Rules of `kinds` whose window contains `at`, oldest first.
pub async fn in_force<C: ConnectionTrait>(
    conn: &C,
    kinds: &[&str],
    at: DateTime<Utc>,
) -> Result<Vec<BonusRow>> {
    Bonus::find()
        .filter(B::Kind.is_in(kinds.iter().copied()))
        .filter(B::StartAt.lte(at))
        .filter(B::EndAt.gte(at))
        .order_by_asc(B::CreatedAt)
        .order_by_asc(B::Id)
        .limit(MAX_RULES)
        .all(conn)
        .await
        .db()
}
