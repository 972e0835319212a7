//! The `leads` table, the one home of its SQL: distribution leads inserted on intake (one or
//! a batch), found by id, public id or advertiser id; the routing lease and final outcome in
//! [`routing`]; the staff and affiliate lists in [`lists`].

mod lists;
mod routing;

use brokercrm_core::Result;
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};

use crate::db::now;
use crate::entities::leads::{self, Entity as Lead};
use crate::error::DbResultExt;

pub use crate::entities::leads::Model as LeadRow;
pub use lists::{AffiliateLeadFilter, LeadFilter, list, list_for_affiliate};
pub use routing::{ACCEPTED, REJECTED, ROUTING, UNKNOWN};
pub use routing::{Finish, finish, finish_many, renew_lease, set_profile, stale, take_over};

#[derive(Debug, Clone)]
pub struct NewLead {
    pub uuid: String,
    pub affiliate_id: i64,
    pub token_id: Option<i64>,
    pub channel: String,
    pub offer_id: Option<i64>,
    pub ip: String,
    pub country: Option<String>,
    pub language: Option<String>,
    pub is_test: bool,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub profile: String,
    pub lease_until: DateTime<Utc>,
    pub deadline_at: DateTime<Utc>,
}

fn active(l: NewLead, at: DateTime<Utc>) -> leads::ActiveModel {
    leads::ActiveModel {
        uuid: Set(l.uuid),
        affiliate_id: Set(l.affiliate_id),
        token_id: Set(l.token_id),
        channel: Set(l.channel),
        offer_id: Set(l.offer_id),
        advertiser_id: Set(None),
        status: Set(ROUTING.to_owned()),
        error_type: Set(None),
        error_message: Set(None),
        ip: Set(l.ip),
        country: Set(l.country),
        language: Set(l.language),
        is_test: Set(l.is_test),
        email: Set(l.email),
        phone: Set(l.phone),
        first_name: Set(l.first_name),
        last_name: Set(l.last_name),
        profile: Set(l.profile),
        external_id: Set(None),
        auto_login_url: Set(None),
        lease_until: Set(Some(l.lease_until)),
        deadline_at: Set(l.deadline_at),
        created_at: Set(at),
        updated_at: Set(at),
        ..Default::default()
    }
}

pub async fn insert<C: ConnectionTrait>(conn: &C, l: NewLead) -> Result<LeadRow> {
    active(l, now()).insert(conn).await.db()
}

/// Inserts `leads` in one statement; the stored rows come back in the order given.
pub async fn insert_many<C: ConnectionTrait>(
    conn: &C,
    leads: Vec<NewLead>,
) -> Result<Vec<LeadRow>> {
    if leads.is_empty() {
        return Ok(Vec::new());
    }
    let at = now();
    let order: Vec<String> = leads.iter().map(|l| l.uuid.clone()).collect();
    let mut rows: std::collections::HashMap<String, LeadRow> =
        Lead::insert_many(leads.into_iter().map(|l| active(l, at)))
            .exec_with_returning(conn)
            .await
            .db()?
            .into_iter()
            .map(|r| (r.uuid.clone(), r))
            .collect();
    order
        .iter()
        .map(|u| {
            rows.remove(u).ok_or_else(|| brokercrm_core::Error::internal("lead insert lost a row"))
        })
        .collect()
}

pub async fn find_by_uuid<C: ConnectionTrait>(conn: &C, uuid: &str) -> Result<Option<LeadRow>> {
    Lead::find().filter(leads::Column::Uuid.eq(uuid)).one(conn).await.db()
}

pub async fn find_by_id<C: ConnectionTrait>(conn: &C, id: i64) -> Result<Option<LeadRow>> {
    Lead::find_by_id(id).one(conn).await.db()
}

/// True when `affiliate_id` already has a lead with `email` that is not rejected.
pub async fn affiliate_has_email<C: ConnectionTrait>(
    conn: &C,
    affiliate_id: i64,
    email: &str,
) -> Result<bool> {
    let n = Lead::find()
        .select_only()
        .column(leads::Column::Id)
        .filter(leads::Column::AffiliateId.eq(affiliate_id))
        .filter(leads::Column::Email.eq(email))
        .filter(leads::Column::Status.ne(REJECTED))
        .limit(1)
        .into_tuple::<i64>()
        .one(conn)
        .await
        .db()?;
    Ok(n.is_some())
}

/// The newest lead `advertiser_id` knows as `external_id` (advertiser postbacks).
pub async fn find_by_external_id<C: ConnectionTrait>(
    conn: &C,
    advertiser_id: i64,
    external_id: &str,
) -> Result<Option<LeadRow>> {
    Lead::find()
        .filter(leads::Column::AdvertiserId.eq(advertiser_id))
        .filter(leads::Column::ExternalId.eq(external_id))
        .order_by_desc(leads::Column::Id)
        .one(conn)
        .await
        .db()
}

/// Leads with these ids (any order).
pub async fn find_by_ids<C: ConnectionTrait>(conn: &C, ids: &[i64]) -> Result<Vec<LeadRow>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Lead::find().filter(leads::Column::Id.is_in(ids.to_vec())).all(conn).await.db()
}
