//! Introducers (IBs) and referrals: who is an IB, with which commission model; who introduced
//! each customer (at most one introducer: the primary key); an IB's chain of introducers.

use brokercrm_core::Result;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Set, TryInsertResult,
};

use crate::db::now;
use crate::entities::introducers::{self, Entity as Introducer};
use crate::entities::referrals::{self, Column as RCol, Entity as Referral};
use crate::entities::users;
use crate::error::DbResultExt;
use crate::repo::identity::users as user_repo;

pub use crate::entities::introducers::Model as IntroducerRow;
pub use crate::entities::referrals::Model as ReferralRow;
pub use crate::entities::users::Model as UserRow;

pub async fn find<C: ConnectionTrait>(conn: &C, user_id: i64) -> Result<Option<IntroducerRow>> {
    Introducer::find_by_id(user_id).one(conn).await.db()
}

/// Makes `user_id` an introducer (no-op when it is one).
pub async fn insert<C: ConnectionTrait>(
    conn: &C,
    user_id: i64,
    commission_model_id: Option<i64>,
) -> Result<()> {
    let row = introducers::ActiveModel {
        user_id: Set(user_id),
        commission_model_id: Set(commission_model_id),
        created_at: Set(now()),
    };
    Introducer::insert(row)
        .on_conflict_do_nothing_on([introducers::Column::UserId])
        .exec_without_returning(conn)
        .await
        .db()?;
    Ok(())
}

/// Sets the commission model of introducer `user_id` (`None`: the default).
pub async fn set_model<C: ConnectionTrait>(
    conn: &C,
    user_id: i64,
    commission_model_id: Option<i64>,
) -> Result<bool> {
    let r = Introducer::update_many()
        .col_expr(introducers::Column::CommissionModelId, Expr::value(commission_model_id))
        .filter(introducers::Column::UserId.eq(user_id))
        .exec(conn)
        .await
        .db()?;
    Ok(r.rows_affected == 1)
}

/// Up to `limit` introducers after user id `after`, by user id (a keyset page).
pub async fn after<C: ConnectionTrait>(
    conn: &C,
    after: i64,
    limit: u64,
) -> Result<Vec<IntroducerRow>> {
    Introducer::find()
        .filter(introducers::Column::UserId.gt(after))
        .order_by_asc(introducers::Column::UserId)
        .limit(limit)
        .all(conn)
        .await
        .db()
}

/// Who introduced `customer_id`.
pub async fn referral<C: ConnectionTrait>(
    conn: &C,
    customer_id: i64,
) -> Result<Option<ReferralRow>> {
    Referral::find_by_id(customer_id).one(conn).await.db()
}

/// The customers among `customer_ids` who have an introducer.
pub async fn referred_among<C: ConnectionTrait>(
    conn: &C,
    customer_ids: &[i64],
) -> Result<Vec<i64>> {
    if customer_ids.is_empty() {
        return Ok(Vec::new());
    }
    Referral::find()
        .select_only()
        .column(RCol::CustomerId)
        .filter(RCol::CustomerId.is_in(customer_ids.iter().copied()))
        .into_tuple::<i64>()
        .all(conn)
        .await
        .db()
}

/// Records that `introducer_id` introduced `customer_id`; `false` when the customer already
/// has an introducer (the first one stays).
pub async fn refer<C: ConnectionTrait>(
    conn: &C,
    customer_id: i64,
    introducer_id: i64,
    source: &str,
    promotion_link_id: Option<i64>,
) -> Result<bool> {
    let row = referrals::ActiveModel {
        customer_id: Set(customer_id),
        introducer_id: Set(introducer_id),
        source: Set(source.to_owned()),
        promotion_link_id: Set(promotion_link_id),
        created_at: Set(now()),
    };
    let r = Referral::insert(row)
        .on_conflict_do_nothing_on([RCol::CustomerId])
        .exec_without_returning(conn)
        .await
        .db()?;
    Ok(matches!(r, TryInsertResult::Inserted(1)))
}

/// Moves `customer_id` to `introducer_id` (staff assignment); `false` when it had none.
pub async fn reassign<C: ConnectionTrait>(
    conn: &C,
    customer_id: i64,
    introducer_id: i64,
    source: &str,
) -> Result<bool> {
    let r = Referral::update_many()
        .col_expr(RCol::IntroducerId, Expr::value(introducer_id))
        .col_expr(RCol::Source, Expr::value(source))
        .col_expr(RCol::PromotionLinkId, Expr::value(Option::<i64>::None))
        .filter(RCol::CustomerId.eq(customer_id))
        .exec(conn)
        .await
        .db()?;
    Ok(r.rows_affected == 1)
}

/// The introducer, its introducer, ... of `customer_id`, nearest first, at most `depth`.
pub async fn chain<C: ConnectionTrait>(
    conn: &C,
    customer_id: i64,
    depth: usize,
) -> Result<Vec<i64>> {
    let mut out = Vec::with_capacity(depth.min(16));
    let mut at = customer_id;
    while out.len() < depth {
        match referral(conn, at).await? {
            Some(r) if r.introducer_id != customer_id && !out.contains(&r.introducer_id) => {
                out.push(r.introducer_id);
                at = r.introducer_id;
            }
            _ => break,
        }
    }
    Ok(out)
}

/// The customers `introducer_ids` introduced directly, by customer id (at most `limit`).
pub async fn referred_by<C: ConnectionTrait>(
    conn: &C,
    introducer_ids: &[i64],
    limit: u64,
) -> Result<Vec<ReferralRow>> {
    if introducer_ids.is_empty() {
        return Ok(Vec::new());
    }
    Referral::find()
        .filter(RCol::IntroducerId.is_in(introducer_ids.iter().copied()))
        .order_by_asc(RCol::CustomerId)
        .limit(limit)
        .all(conn)
        .await
        .db()
}

/// How many customers `introducer_id` introduced directly.
pub async fn count_referred<C: ConnectionTrait>(conn: &C, introducer_id: i64) -> Result<u64> {
    Referral::find().filter(RCol::IntroducerId.eq(introducer_id)).count(conn).await.db()
}

/// A page of introducers (with their users), by e-mail, whose e-mail or name holds `search`
/// (any case), with the total.
pub async fn page<C: ConnectionTrait>(
    conn: &C,
    search: Option<&str>,
    offset: u64,
    limit: u64,
) -> Result<(Vec<(IntroducerRow, UserRow)>, u64)> {
    use sea_orm::Condition;
    use sea_orm::sea_query::Query;

    let ibs = Query::select().column(introducers::Column::UserId).from(Introducer).to_owned();
    let mut cond = Condition::all().add(users::Column::Id.in_subquery(ibs));
    if let Some(q) = search.map(str::trim).filter(|q| !q.is_empty()) {
        cond = cond.add(user_repo::matching(q));
    }
    let (people, total) = user_repo::page_where(conn, cond, offset, limit).await?;
    let rows = Introducer::find()
        .filter(introducers::Column::UserId.is_in(people.iter().map(|u| u.id)))
        .all(conn)
        .await
        .db()?;
    let out = people
        .into_iter()
        .filter_map(|u| rows.iter().find(|r| r.user_id == u.id).map(|r| (r.clone(), u)))
        .collect();
    Ok((out, total))
}

/// The introducers among `user_ids`.
pub async fn among<C: ConnectionTrait>(conn: &C, user_ids: &[i64]) -> Result<Vec<i64>> {
    if user_ids.is_empty() {
        return Ok(Vec::new());
    }
    Introducer::find()
        .select_only()
        .column(introducers::Column::UserId)
        .filter(introducers::Column::UserId.is_in(user_ids.iter().copied()))
        .into_tuple::<i64>()
        .all(conn)
        .await
        .db()
}
