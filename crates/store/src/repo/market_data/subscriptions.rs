//! Subscriptions: one row per account and feed (a unique index), `ACTIVE` or `EXPIRED`, an
//! optional end; re-activation reuses the row and counts activations, so a single-use feed's
//! past is never lost. The token path reads an account and its active feeds in one query.

use brokercrm_core::Result;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Condition, Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, JoinType,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};

use crate::entities::md_accounts;
use crate::entities::md_subscriptions::{self as t, Column as Col, Entity as Subs};
use crate::error::DbResultExt;

pub use crate::entities::md_subscriptions::Model as SubscriptionRow;

pub const ACTIVE: &str = "ACTIVE";
pub const EXPIRED: &str = "EXPIRED";

pub async fn for_account<C: ConnectionTrait>(
    conn: &C,
    account_id: i64,
) -> Result<Vec<SubscriptionRow>> {
    Subs::find().filter(Col::AccountId.eq(account_id)).order_by_asc(Col::Id).all(conn).await.db()
}

/// Activates (or re-activates) `feed_id` for the account until `expires_at`.
pub async fn activate<C: ConnectionTrait>(
    conn: &C,
    existing: Option<SubscriptionRow>,
    account_id: i64,
    feed_id: i64,
    expires_at: Option<DateTime<Utc>>,
    at: DateTime<Utc>,
) -> Result<SubscriptionRow> {
    match existing {
        Some(row) => {
            let n = row.activations;
            let mut m = row.into_active_model();
            m.status = Set(ACTIVE.into());
            m.activated_at = Set(at);
            m.expires_at = Set(expires_at);
            m.activations = Set(n + 1);
            m.cancelled_at = Set(None);
            m.updated_at = Set(at);
            m.update(conn).await.db()
        }
        None => t::ActiveModel {
            account_id: Set(account_id),
            feed_id: Set(feed_id),
            status: Set(ACTIVE.into()),
            activated_at: Set(at),
            expires_at: Set(expires_at),
            activations: Set(1),
            cancelled_at: Set(None),
            updated_at: Set(at),
            ..Default::default()
        }
        .insert(conn)
        .await
        .db(),
    }
}

/// Cancels: `ends_at` is when it stops (now for an immediate cancel); the expiry job turns it
/// `EXPIRED` then.
pub async fn cancel<C: ConnectionTrait>(
    conn: &C,
    id: i64,
    ends_at: DateTime<Utc>,
    expire_now: bool,
    at: DateTime<Utc>,
) -> Result<()> {
    let mut q = Subs::update_many()
        .col_expr(Col::ExpiresAt, Expr::value(ends_at))
        .col_expr(Col::CancelledAt, Expr::value(at))
        .col_expr(Col::UpdatedAt, Expr::value(at));
    if expire_now {
        q = q.col_expr(Col::Status, Expr::value(EXPIRED));
    }
    q.filter(Col::Id.eq(id)).exec(conn).await.db().map(|_| ())
}

/// Active subscriptions whose end has passed, at most `limit`.
pub async fn due<C: ConnectionTrait>(
    conn: &C,
    now: DateTime<Utc>,
    limit: u64,
) -> Result<Vec<SubscriptionRow>> {
    Subs::find()
        .filter(Col::Status.eq(ACTIVE))
        .filter(Col::ExpiresAt.lte(now))
        .order_by_asc(Col::Id)
        .limit(limit)
        .all(conn)
        .await
        .db()
}

/// Expires one subscription if still active and due; true when this call did it.
pub async fn expire<C: ConnectionTrait>(conn: &C, id: i64, now: DateTime<Utc>) -> Result<bool> {
    let res = Subs::update_many()
        .col_expr(Col::Status, Expr::value(EXPIRED))
        .col_expr(Col::UpdatedAt, Expr::value(now))
        .filter(Col::Id.eq(id))
        .filter(Col::Status.eq(ACTIVE))
        .filter(Col::ExpiresAt.lte(now))
        .exec(conn)
        .await
        .db()?;
    Ok(res.rows_affected == 1)
}

/// How the token path finds an account: by its public id or by its market-data login.
#[derive(Debug, Clone, Copy)]
pub enum AccountKey<'a> {
    Uuid(&'a str),
    Login(&'a str),
}

/// An account and the feeds it is entitled to at a given instant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entitled {
    pub account_id: i64,
    pub account_uuid: String,
    pub password_hash: Option<String>,
    /// Feeds of its active subscriptions, by subscription id.
    pub feed_ids: Vec<i64>,
}

/// The application's account `key` with the feeds of its subscriptions active at `now`, in
/// one query (the account left-joined with those subscriptions): the token path's only read.
pub async fn entitled<C: ConnectionTrait>(
    conn: &C,
    application_id: i64,
    key: AccountKey<'_>,
    now: DateTime<Utc>,
) -> Result<Option<Entitled>> {
    use md_accounts::{Column as A, Entity as Accounts};
    let to_account: sea_orm::RelationDef =
        Subs::belongs_to(Accounts).from(Col::AccountId).to(A::Id).into();
    let active = to_account.rev().on_condition(move |_, subs| {
        Condition::all().add(Expr::col((subs.clone(), Col::Status)).eq(ACTIVE)).add(
            Condition::any()
                .add(Expr::col((subs.clone(), Col::ExpiresAt)).is_null())
                .add(Expr::col((subs, Col::ExpiresAt)).gt(now)),
        )
    });
    let mut q = Accounts::find()
        .select_only()
        .column(A::Id)
        .column(A::Uuid)
        .column(A::PasswordHash)
        .column(Col::FeedId)
        .join(JoinType::LeftJoin, active)
        .filter(A::ApplicationId.eq(application_id));
    q = match key {
        AccountKey::Uuid(u) => q.filter(A::Uuid.eq(u)),
        AccountKey::Login(l) => q.filter(A::Login.eq(l)),
    };
    let rows: Vec<(i64, String, Option<String>, Option<i64>)> =
        q.order_by_asc(Col::Id).into_tuple().all(conn).await.db()?;
    let mut it = rows.into_iter();
    let Some((account_id, account_uuid, password_hash, first)) = it.next() else {
        return Ok(None);
    };
    let feed_ids = first.into_iter().chain(it.filter_map(|r| r.3)).collect();
    Ok(Some(Entitled { account_id, account_uuid, password_hash, feed_ids }))
}

/// How many subscriptions (any state) name the feed.
pub async fn count_for_feed<C: ConnectionTrait>(conn: &C, feed_id: i64) -> Result<u64> {
    Subs::find().filter(Col::FeedId.eq(feed_id)).count(conn).await.db()
}
