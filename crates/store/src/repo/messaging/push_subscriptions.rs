//! Web-push subscriptions, one row per (endpoint, topic).

use brokercrm_core::Result;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};

use crate::db::now;
use crate::entities::push_subscriptions::{self as s, Entity as Subscription};
use crate::error::DbResultExt;

pub use crate::entities::push_subscriptions::Model as SubscriptionRow;

/// A subscription to store.
#[derive(Debug, Clone)]
pub struct NewSubscription {
    pub user_id: i64,
    pub topic: String,
    pub endpoint: String,
    pub p256dh: String,
    pub auth: String,
    pub expiration_time: Option<chrono::DateTime<chrono::Utc>>,
}

/// Stores `n`, replacing the row of the same endpoint and topic (a browser that subscribes
/// again, possibly signed in as someone else now).
pub async fn replace<C: ConnectionTrait>(conn: &C, n: NewSubscription) -> Result<SubscriptionRow> {
    Subscription::delete_many()
        .filter(s::Column::Endpoint.eq(n.endpoint.as_str()))
        .filter(s::Column::Topic.eq(n.topic.as_str()))
        .exec(conn)
        .await
        .db()?;
    s::ActiveModel {
        user_id: Set(n.user_id),
        topic: Set(n.topic),
        endpoint: Set(n.endpoint),
        p256dh: Set(n.p256dh),
        auth: Set(n.auth),
        expiration_time: Set(n.expiration_time),
        created_at: Set(now()),
        ..Default::default()
    }
    .insert(conn)
    .await
    .db()
}

/// Which of a user's subscriptions a read or delete is about (all filters given must hold).
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub id: Option<i64>,
    pub endpoint: Option<String>,
    pub topic: Option<String>,
}

fn filtered(user_id: i64, f: &Filter) -> sea_orm::Select<Subscription> {
    let mut q = Subscription::find().filter(s::Column::UserId.eq(user_id));
    if let Some(id) = f.id {
        q = q.filter(s::Column::Id.eq(id));
    }
    if let Some(e) = &f.endpoint {
        q = q.filter(s::Column::Endpoint.eq(e.as_str()));
    }
    if let Some(t) = &f.topic {
        q = q.filter(s::Column::Topic.eq(t.as_str()));
    }
    q
}

/// The user's subscriptions matching `f`, oldest first.
pub async fn of_user<C: ConnectionTrait>(
    conn: &C,
    user_id: i64,
    f: &Filter,
) -> Result<Vec<SubscriptionRow>> {
    filtered(user_id, f).order_by_asc(s::Column::Id).all(conn).await.db()
}

/// Deletes the user's subscriptions matching `f`; returns how many.
pub async fn delete_of_user<C: ConnectionTrait>(conn: &C, user_id: i64, f: &Filter) -> Result<u64> {
    let ids: Vec<i64> = of_user(conn, user_id, f).await?.into_iter().map(|r| r.id).collect();
    if ids.is_empty() {
        return Ok(0);
    }
    let r = Subscription::delete_many().filter(s::Column::Id.is_in(ids)).exec(conn).await.db()?;
    Ok(r.rows_affected)
}

pub async fn find<C: ConnectionTrait>(conn: &C, id: i64) -> Result<Option<SubscriptionRow>> {
    Subscription::find_by_id(id).one(conn).await.db()
}

/// Removes one subscription (the push service said it is gone).
pub async fn delete<C: ConnectionTrait>(conn: &C, id: i64) -> Result<()> {
    Subscription::delete_by_id(id).exec(conn).await.db().map(|_| ())
}
