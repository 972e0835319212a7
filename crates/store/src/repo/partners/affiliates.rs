//! What an affiliate (an introducer) reads and changes about itself: its reference key
//! (unique regardless of case), the sources its referred customers came from.

use brokercrm_core::Result;
use sea_orm::sea_query::{Expr, ExprTrait, Func, Query};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::db::now;
use crate::entities::referrals::{Column as RCol, Entity as Referral};
use crate::entities::users::{Column as U, Entity as User};
use crate::error::DbResultExt;

/// The user whose reference key is `key` regardless of case, other than `except`.
pub async fn ref_key_owner_ci<C: ConnectionTrait>(
    conn: &C,
    key: &str,
    except: i64,
) -> Result<Option<i64>> {
    User::find()
        .select_only()
        .column(U::Id)
        .filter(Expr::expr(Func::lower(Expr::col(U::RefKey))).eq(key.to_lowercase()))
        .filter(U::Id.ne(except))
        .into_tuple::<i64>()
        .one(conn)
        .await
        .db()
}

/// Sets `user_id`'s reference key; a key taken meanwhile is a conflict (the unique indexes).
pub async fn set_ref_key<C: ConnectionTrait>(conn: &C, user_id: i64, key: &str) -> Result<bool> {
    let r = User::update_many()
        .col_expr(U::RefKey, Expr::value(key))
        .col_expr(U::UpdatedAt, Expr::value(now()))
        .filter(U::Id.eq(user_id))
        .exec(conn)
        .await
        .db()?;
    Ok(r.rows_affected == 1)
}

/// The distinct sign-up sources (`users.source`) of the customers `introducer_id` referred
/// directly, in alphabetical order.
pub async fn referred_sources<C: ConnectionTrait>(
    conn: &C,
    introducer_id: i64,
) -> Result<Vec<String>> {
    let referred = Query::select()
        .column(RCol::CustomerId)
        .from(Referral)
        .and_where(Expr::col(RCol::IntroducerId).eq(introducer_id))
        .to_owned();
    User::find()
        .select_only()
        .column(U::Source)
        .distinct()
        .filter(U::Id.in_subquery(referred))
        .filter(U::Source.is_not_null())
        .filter(U::Source.ne(""))
        .order_by_asc(U::Source)
        .into_tuple::<String>()
        .all(conn)
        .await
        .db()
}
