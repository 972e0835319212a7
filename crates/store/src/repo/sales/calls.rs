//! Calls: per-customer call-agent mappings, the calls agents start through the VoIP provider,
//! and the provider's webhook events (recorded once per call and event, by a unique index).

use brokercrm_core::Result;
use brokercrm_core::sales::CustomerScope;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, JoinType, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, RelationDef, Set,
};

use super::scope_condition;
use crate::db::now;
use crate::entities::call_agent_mappings::{self as cam, Entity as Mapping};
use crate::entities::users::{self, Entity as User};
use crate::entities::voip_call_events::{self as ev, Entity as Event};
use crate::entities::voip_calls::{self as vc, Entity as Call};
use crate::error::DbResultExt;
use crate::repo::identity::users::UserRow;

pub use crate::entities::call_agent_mappings::Model as MappingRow;
pub use crate::entities::voip_calls::Model as CallRow;

/// Sets the agent that calls `customer_id` through `provider`; returns the stored mapping.
pub async fn upsert_mapping<C: ConnectionTrait>(
    conn: &C,
    customer_id: i64,
    provider: &str,
    agent_id: &str,
    updated_by: i64,
) -> Result<MappingRow> {
    let t = now();
    let am = cam::ActiveModel {
        customer_id: Set(customer_id),
        provider: Set(provider.to_owned()),
        agent_id: Set(agent_id.to_owned()),
        updated_by: Set(Some(updated_by)),
        created_at: Set(t),
        updated_at: Set(t),
    };
    Mapping::insert(am)
        .on_conflict(
            OnConflict::columns([cam::Column::CustomerId, cam::Column::Provider])
                .update_columns([
                    cam::Column::AgentId,
                    cam::Column::UpdatedBy,
                    cam::Column::UpdatedAt,
                ])
                .to_owned(),
        )
        .exec_without_returning(conn)
        .await
        .db()?;
    find_mapping(conn, customer_id, provider)
        .await?
        .ok_or_else(|| brokercrm_core::Error::internal("mapping vanished after upsert"))
}

pub async fn find_mapping<C: ConnectionTrait>(
    conn: &C,
    customer_id: i64,
    provider: &str,
) -> Result<Option<MappingRow>> {
    Mapping::find_by_id((customer_id, provider.to_owned())).one(conn).await.db()
}

/// Mappings of `provider` for these customers (any order).
pub async fn mappings_of<C: ConnectionTrait>(
    conn: &C,
    provider: &str,
    customer_ids: &[i64],
) -> Result<Vec<MappingRow>> {
    if customer_ids.is_empty() {
        return Ok(Vec::new());
    }
    Mapping::find()
        .filter(cam::Column::Provider.eq(provider))
        .filter(cam::Column::CustomerId.is_in(customer_ids.to_vec()))
        .all(conn)
        .await
        .db()
}

fn to_customer() -> RelationDef {
    Mapping::belongs_to(User).from(cam::Column::CustomerId).to(users::Column::Id).into()
}

/// One page (by customer id) of the customers in `scope` that have an agent for `provider`,
/// and the total.
pub async fn customers_with_agents<C: ConnectionTrait>(
    conn: &C,
    provider: &str,
    scope: &CustomerScope,
    offset: u64,
    limit: u64,
) -> Result<(Vec<UserRow>, u64)> {
    let mut q = User::find()
        .join_rev(JoinType::InnerJoin, to_customer())
        .filter(cam::Column::Provider.eq(provider));
    if let Some(cond) = scope_condition(scope) {
        q = q.filter(cond);
    }
    let total = q.clone().count(conn).await.db()?;
    let rows =
        q.order_by_asc(users::Column::Id).offset(offset).limit(limit).all(conn).await.db()?;
    Ok((rows, total))
}

/// A call to record before the provider is asked to dial.
#[derive(Debug, Clone, Default)]
pub struct NewCall {
    pub uuid: String,
    pub provider: String,
    pub customer_id: Option<i64>,
    pub crm_lead_id: Option<i64>,
    pub agent_user_id: Option<i64>,
    pub agent_ref: String,
    pub phone: String,
    pub status: String,
}

pub async fn insert_call<C: ConnectionTrait>(conn: &C, n: NewCall) -> Result<CallRow> {
    let t = now();
    vc::ActiveModel {
        uuid: Set(n.uuid),
        provider: Set(n.provider),
        customer_id: Set(n.customer_id),
        crm_lead_id: Set(n.crm_lead_id),
        agent_user_id: Set(n.agent_user_id),
        agent_ref: Set(n.agent_ref),
        phone: Set(n.phone),
        status: Set(n.status),
        created_at: Set(t),
        updated_at: Set(t),
        ..Default::default()
    }
    .insert(conn)
    .await
    .db()
}

/// The call `uuid` started through `provider`.
pub async fn find_call<C: ConnectionTrait>(
    conn: &C,
    provider: &str,
    uuid: &str,
) -> Result<Option<CallRow>> {
    Call::find()
        .filter(vc::Column::Uuid.eq(uuid))
        .filter(vc::Column::Provider.eq(provider))
        .one(conn)
        .await
        .db()
}

/// The call `uuid` of `provider`, locked until the transaction ends (`FOR UPDATE` on
/// PostgreSQL; the IMMEDIATE write transaction already serialises writers on SQLite), so
/// concurrent events of one call apply one after the other.
pub async fn lock_call<C: ConnectionTrait>(
    conn: &C,
    provider: &str,
    uuid: &str,
) -> Result<Option<CallRow>> {
    Call::find()
        .filter(vc::Column::Uuid.eq(uuid))
        .filter(vc::Column::Provider.eq(provider))
        .lock_exclusive()
        .one(conn)
        .await
        .db()
}

/// Updates what the provider reported about a call (status; duration and recording when
/// given; the provider's own call id when given).
pub async fn update_call<C: ConnectionTrait>(
    conn: &C,
    id: i64,
    status: &str,
    provider_call_id: Option<&str>,
    duration_secs: Option<i32>,
    recording_url: Option<&str>,
) -> Result<()> {
    let mut q = Call::update_many()
        .col_expr(vc::Column::Status, Expr::value(status))
        .col_expr(vc::Column::UpdatedAt, Expr::value(now()))
        .filter(vc::Column::Id.eq(id));
    if let Some(p) = provider_call_id {
        q = q.col_expr(vc::Column::ProviderCallId, Expr::value(p));
    }
    if let Some(d) = duration_secs {
        q = q.col_expr(vc::Column::DurationSecs, Expr::value(d));
    }
    if let Some(r) = recording_url {
        q = q.col_expr(vc::Column::RecordingUrl, Expr::value(r));
    }
    q.exec(conn).await.db().map(|_| ())
}

/// Records a webhook event of a call; `false` when it was recorded before (a redelivery).
pub async fn insert_event<C: ConnectionTrait>(
    conn: &C,
    call_id: i64,
    event: &str,
    payload: &str,
    at: DateTime<Utc>,
) -> Result<bool> {
    let am = ev::ActiveModel {
        call_id: Set(call_id),
        event: Set(event.to_owned()),
        payload: Set(payload.to_owned()),
        received_at: Set(at),
        ..Default::default()
    };
    let n = Event::insert(am)
        .on_conflict(
            OnConflict::columns([ev::Column::CallId, ev::Column::Event]).do_nothing().to_owned(),
        )
        .exec_without_returning(conn)
        .await
        .db()?;
    Ok(n > 0)
}
