//! Bookmarks: customers a staff user marked. Adding is idempotent (insert-if-absent on the
//! primary key); the list joins the customers, filtered by the caller's scope.

use brokercrm_core::Result;
use brokercrm_core::sales::CustomerScope;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, Func, LikeExpr, OnConflict, SimpleExpr};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, JoinType, Order, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, RelationDef, Set,
};

use super::scope_condition;
use crate::db::now;
use crate::entities::customer_bookmarks::{self as cb, Entity as Bookmark};
use crate::entities::users::{self, Entity as User};
use crate::error::DbResultExt;
use crate::repo::identity::users::UserRow;

/// How a bookmark list is sorted (with `descending`); ties always by customer id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortKey {
    BookmarkedAt,
    Name,
    Email,
    CreatedAt,
}

/// Adds a bookmark; `false` if it existed already.
pub async fn add<C: ConnectionTrait>(conn: &C, user_id: i64, customer_id: i64) -> Result<bool> {
    let am = cb::ActiveModel {
        user_id: Set(user_id),
        customer_id: Set(customer_id),
        created_at: Set(now()),
    };
    let n = Bookmark::insert(am)
        .on_conflict(
            OnConflict::columns([cb::Column::UserId, cb::Column::CustomerId])
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(conn)
        .await
        .db()?;
    Ok(n > 0)
}

/// Removes a bookmark; `false` if there was none.
pub async fn remove<C: ConnectionTrait>(conn: &C, user_id: i64, customer_id: i64) -> Result<bool> {
    let r = Bookmark::delete_by_id((user_id, customer_id)).exec(conn).await.db()?;
    Ok(r.rows_affected > 0)
}

/// Which of `customer_ids` `user_id` bookmarked, with when.
pub async fn of_user<C: ConnectionTrait>(
    conn: &C,
    user_id: i64,
    customer_ids: &[i64],
) -> Result<Vec<(i64, DateTime<Utc>)>> {
    if customer_ids.is_empty() {
        return Ok(Vec::new());
    }
    let rows = Bookmark::find()
        .filter(cb::Column::UserId.eq(user_id))
        .filter(cb::Column::CustomerId.is_in(customer_ids.to_vec()))
        .all(conn)
        .await
        .db()?;
    Ok(rows.into_iter().map(|b| (b.customer_id, b.created_at)).collect())
}

fn blank_if_null(col: users::Column) -> SimpleExpr {
    Func::coalesce([Expr::col((users::Entity, col)), Expr::val("")]).into()
}

fn to_customer() -> RelationDef {
    Bookmark::belongs_to(User).from(cb::Column::CustomerId).to(users::Column::Id).into()
}

/// One page of the customers `user_id` bookmarked that are in `scope` and match `search`
/// (case-insensitive substring of e-mail, first or last name, phone), and the total.
pub async fn list<C: ConnectionTrait>(
    conn: &C,
    user_id: i64,
    scope: &CustomerScope,
    search: Option<&str>,
    sort: (SortKey, bool),
    offset: u64,
    limit: u64,
) -> Result<(Vec<UserRow>, u64)> {
    let mut q = User::find()
        .join_rev(JoinType::InnerJoin, to_customer())
        .filter(cb::Column::UserId.eq(user_id));
    if let Some(cond) = scope_condition(scope) {
        q = q.filter(cond);
    }
    if let Some(s) = search {
        let escaped =
            s.to_lowercase().replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
        let mut any = Condition::any();
        for col in [
            users::Column::Email,
            users::Column::Firstname,
            users::Column::Lastname,
            users::Column::Mobilenumber,
        ] {
            let pattern = LikeExpr::new(format!("%{escaped}%")).escape('\\');
            any = any.add(Expr::expr(Func::lower(Expr::col((users::Entity, col)))).like(pattern));
        }
        q = q.filter(any);
    }
    let total = q.clone().count(conn).await.db()?;
    let (key, descending) = sort;
    let dir = if descending { Order::Desc } else { Order::Asc };
    q = match key {
        SortKey::BookmarkedAt => q.order_by(cb::Column::CreatedAt, dir.clone()),
        // Blank names sort as empty strings, the same on both backends (their NULL orders
        // differ).
        SortKey::Name => q
            .order_by(blank_if_null(users::Column::Firstname), dir.clone())
            .order_by(blank_if_null(users::Column::Lastname), dir.clone()),
        SortKey::Email => q.order_by(users::Column::Email, dir.clone()),
        SortKey::CreatedAt => q.order_by(users::Column::CreatedAt, dir.clone()),
    };
    let rows =
        q.order_by(users::Column::Id, dir).offset(offset).limit(limit).all(conn).await.db()?;
    Ok((rows, total))
}
