//! Wallets: insert, find, filtered pages (by owner, search, currencies, leverage range, demo
//! flag, groups), settings and status updates, and the ledger transfers of a wallet's
//! accounts. Money is never stored here: balances are ledger accounts.

use brokercrm_core::Result;
use brokercrm_core::identity::scope::CustomerScope;
use sea_orm::sea_query::{Expr, ExprTrait, Func, LikeExpr, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Select, Set,
};

use crate::db::now;
use crate::entities::users::{Column as U, Entity as User};
use crate::entities::wallets::{self, Column as W, Entity as Wallet};
use crate::error::DbResultExt;
use crate::repo::identity::scope::scope_condition_on;

pub use crate::entities::wallets::Model as WalletRow;

/// A wallet to create.
#[derive(Debug, Clone)]
pub struct NewWallet {
    pub user_id: i64,
    pub platform: String,
    pub status: String,
    pub currency: String,
    pub group_id: Option<i64>,
    pub leverage: i32,
    pub is_demo: bool,
}

/// Filters of a wallet list; every one is optional.
#[derive(Debug, Clone, Default)]
pub struct WalletFilter {
    /// Only this owner's wallets.
    pub user_id: Option<i64>,
    /// Only the wallets of customers in this scope (a staff member's customer scope).
    pub scope: Option<CustomerScope>,
    /// Wallet id (when numeric) or part of the owner's e-mail, first or last name.
    pub search: Option<String>,
    pub currencies: Vec<String>,
    pub leverage_from: Option<i32>,
    pub leverage_to: Option<i32>,
    pub is_demo: Option<bool>,
    pub group_ids: Vec<i64>,
    /// Only these wallets (`Some(empty)` matches none).
    pub ids: Option<Vec<i64>>,
    /// Matches no wallet.
    pub match_none: bool,
}

pub async fn insert<C: ConnectionTrait>(conn: &C, w: NewWallet) -> Result<WalletRow> {
    let t = now();
    wallets::ActiveModel {
        user_id: Set(w.user_id),
        platform: Set(w.platform),
        status: Set(w.status),
        currency: Set(w.currency),
        group_id: Set(w.group_id),
        leverage: Set(w.leverage),
        is_demo: Set(w.is_demo),
        created_at: Set(t),
        updated_at: Set(t),
        ..Default::default()
    }
    .insert(conn)
    .await
    .db()
}

pub async fn find<C: ConnectionTrait>(conn: &C, id: i64) -> Result<Option<WalletRow>> {
    Wallet::find_by_id(id).one(conn).await.db()
}

/// Wallet `id`, locked until the transaction ends: PostgreSQL `FOR UPDATE`; on SQLite the
/// write transaction already holds the one write lock. Trading serialises a wallet's fills,
/// closes and money leaving it on this row.
pub async fn lock<C: ConnectionTrait>(conn: &C, id: i64) -> Result<Option<WalletRow>> {
    let mut q = Wallet::find_by_id(id);
    if conn.get_database_backend() == sea_orm::DbBackend::Postgres {
        q = q.lock_exclusive();
    }
    q.one(conn).await.db()
}

/// The wallets among `ids`, locked until the transaction ends, in one statement: PostgreSQL
/// `FOR UPDATE` in ascending id order (the order every single [`lock`] taker holds at most
/// one of, so the two never deadlock); SQLite's write transaction already holds the lock.
pub async fn lock_many<C: ConnectionTrait>(conn: &C, ids: &[i64]) -> Result<Vec<WalletRow>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut q = Wallet::find().filter(W::Id.is_in(ids.iter().copied())).order_by_asc(W::Id);
    if conn.get_database_backend() == sea_orm::DbBackend::Postgres {
        q = q.lock_exclusive();
    }
    q.all(conn).await.db()
}

/// The wallets among `ids` that exist (any order).
pub async fn find_many<C: ConnectionTrait>(conn: &C, ids: &[i64]) -> Result<Vec<WalletRow>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Wallet::find().filter(W::Id.is_in(ids.iter().copied())).all(conn).await.db()
}

fn like(s: &str) -> LikeExpr {
    let escaped = s.to_lowercase().replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
    LikeExpr::new(format!("%{escaped}%")).escape('\\')
}

fn filtered(f: &WalletFilter) -> Select<Wallet> {
    let mut q = Wallet::find();
    if f.match_none {
        return q.filter(Expr::val(1).eq(0));
    }
    if let Some(ids) = &f.ids {
        q = q.filter(W::Id.is_in(ids.iter().copied()));
    }
    if let Some(u) = f.user_id {
        q = q.filter(W::UserId.eq(u));
    }
    if let Some(cond) = f.scope.as_ref().and_then(|s| scope_condition_on(s, (Wallet, W::UserId))) {
        q = q.filter(cond);
    }
    if let Some(s) = f.search.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        let lower = |c: U| Expr::expr(Func::lower(Expr::col(c)));
        let users = Query::select()
            .column(U::Id)
            .from(User)
            .cond_where(
                Condition::any()
                    .add(lower(U::Email).like(like(s)))
                    .add(lower(U::Firstname).like(like(s)))
                    .add(lower(U::Lastname).like(like(s))),
            )
            .to_owned();
        let mut any = Condition::any().add(W::UserId.in_subquery(users));
        if let Ok(id) = s.parse::<i64>() {
            any = any.add(W::Id.eq(id));
        }
        q = q.filter(any);
    }
    if !f.currencies.is_empty() {
        q = q.filter(W::Currency.is_in(f.currencies.iter().cloned()));
    }
    if let Some(l) = f.leverage_from {
        q = q.filter(W::Leverage.gte(l));
    }
    if let Some(l) = f.leverage_to {
        q = q.filter(W::Leverage.lte(l));
    }
    if let Some(d) = f.is_demo {
        q = q.filter(W::IsDemo.eq(d));
    }
    if !f.group_ids.is_empty() {
        q = q.filter(W::GroupId.is_in(f.group_ids.iter().copied()));
    }
    q
}

/// A page of wallets, newest first, with the number of matching wallets.
pub async fn list<C: ConnectionTrait>(
    conn: &C,
    f: &WalletFilter,
    limit: u64,
    offset: u64,
) -> Result<(Vec<WalletRow>, u64)> {
    let q = filtered(f);
    let total = q.clone().count(conn).await.db()?;
    let rows = q.order_by_desc(W::Id).limit(limit).offset(offset).all(conn).await.db()?;
    Ok((rows, total))
}

/// Sets group and leverage; returns whether the wallet exists.
pub async fn update_settings<C: ConnectionTrait>(
    conn: &C,
    id: i64,
    group_id: Option<i64>,
    leverage: i32,
) -> Result<bool> {
    let res = Wallet::update_many()
        .col_expr(W::GroupId, Expr::value(group_id))
        .col_expr(W::Leverage, Expr::value(leverage))
        .col_expr(W::UpdatedAt, Expr::value(now()))
        .filter(W::Id.eq(id))
        .exec(conn)
        .await
        .db()?;
    Ok(res.rows_affected == 1)
}

/// Sets the status; returns whether the wallet exists.
pub async fn set_status<C: ConnectionTrait>(conn: &C, id: i64, status: &str) -> Result<bool> {
    let res = Wallet::update_many()
        .col_expr(W::Status, Expr::value(status))
        .col_expr(W::UpdatedAt, Expr::value(now()))
        .filter(W::Id.eq(id))
        .exec(conn)
        .await
        .db()?;
    Ok(res.rows_affected == 1)
}

/// Whether any wallet uses group `group_id`.
pub async fn group_in_use<C: ConnectionTrait>(conn: &C, group_id: i64) -> Result<bool> {
    Ok(Wallet::find().filter(W::GroupId.eq(group_id)).count(conn).await.db()? > 0)
}

/// The wallet ids of the customers in `scope`.
pub async fn ids_in_scope<C: ConnectionTrait>(conn: &C, scope: &CustomerScope) -> Result<Vec<i64>> {
    let f = WalletFilter { scope: Some(*scope), ..WalletFilter::default() };
    filtered(&f).select_only().column(W::Id).into_tuple::<i64>().all(conn).await.db()
}

/// The wallet ids of user `user_id`.
/// The ids of the wallets in trading group `group_id`.
pub async fn ids_of_group<C: ConnectionTrait>(conn: &C, group_id: i64) -> Result<Vec<i64>> {
    Wallet::find()
        .select_only()
        .column(wallets::Column::Id)
        .filter(wallets::Column::GroupId.eq(group_id))
        .into_tuple::<i64>()
        .all(conn)
        .await
        .db()
}

pub async fn ids_of_user<C: ConnectionTrait>(conn: &C, user_id: i64) -> Result<Vec<i64>> {
    Wallet::find()
        .select_only()
        .column(W::Id)
        .filter(W::UserId.eq(user_id))
        .into_tuple::<i64>()
        .all(conn)
        .await
        .db()
}

/// Owners of a wallet in trading group `group_id` with ids above `after`, ascending, at most
/// `limit` (messaging's fan-out to a trading group reads its recipients here).
pub async fn holders_of_group_after<C: ConnectionTrait>(
    conn: &C,
    group_id: i64,
    after: i64,
    limit: u64,
) -> Result<Vec<i64>> {
    Wallet::find()
        .select_only()
        .column(W::UserId)
        .distinct()
        .filter(W::GroupId.eq(group_id))
        .filter(W::UserId.gt(after))
        .order_by_asc(W::UserId)
        .limit(limit)
        .into_tuple::<i64>()
        .all(conn)
        .await
        .db()
}

/// How many customers hold a wallet in trading group `group_id`.
pub async fn count_holders_of_group<C: ConnectionTrait>(conn: &C, group_id: i64) -> Result<u64> {
    let n = Wallet::find()
        .select_only()
        .expr(Func::count_distinct(Expr::col(W::UserId)))
        .filter(W::GroupId.eq(group_id))
        .into_tuple::<i64>()
        .one(conn)
        .await
        .db()?;
    Ok(u64::try_from(n.unwrap_or(0)).unwrap_or(0))
}

/// (is_demo, group) of each wallet of user `user_id` (e-mail template conditions).
pub async fn books_and_groups<C: ConnectionTrait>(
    conn: &C,
    user_id: i64,
) -> Result<Vec<(bool, Option<i64>)>> {
    Wallet::find()
        .select_only()
        .column(W::IsDemo)
        .column(W::GroupId)
        .filter(W::UserId.eq(user_id))
        .into_tuple::<(bool, Option<i64>)>()
        .all(conn)
        .await
        .db()
}
