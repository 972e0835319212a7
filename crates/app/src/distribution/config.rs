//! What the routing-configuration use cases share: the list page, new UUIDs, lookups of
//! affiliates, offers and advertisers by their wire ids, and the commit that refreshes the
//! cached routing plans.

use std::collections::HashMap;

use brokercrm_core::identity::auth::Role;
use brokercrm_core::validate::CountryCode;
use brokercrm_core::{Error, Result};
use brokercrm_store::ConnectionTrait;
use brokercrm_store::repo::distribution::advertisers::{self as advertiser_repo, AdvertiserRow};
use brokercrm_store::repo::distribution::offers as offer_repo;
use brokercrm_store::repo::identity::users::find_by_ids as users_by_ids;
use brokercrm_store::repo::identity::users::{self, UserRow};

/// A page of the lead-distribution lists: `limit` 1..=500 (default 50), `offset` from 0.
pub type Page = brokercrm_core::paging::Page<500, 50>;

/// A fresh public id.
pub(super) fn new_uuid() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// An optional ISO-2 country (blank: none), upper-cased.
pub(super) fn opt_country(field: &str, raw: Option<&str>) -> Result<Option<String>> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(c) => CountryCode::parse(field, c).map(|c| Some(c.as_str().to_owned())),
    }
}

/// The user `uuid` names, who must have the affiliate role (and be active if `active`).
pub(super) async fn affiliate<C: ConnectionTrait>(
    conn: &C,
    field: &str,
    uuid: &str,
    active: bool,
) -> Result<UserRow> {
    let user = users::find_by_uuid(conn, uuid.trim())
        .await?
        .ok_or_else(|| Error::field(field, "unknown user"))?;
    if user.role != Role::Affiliate.as_str() {
        return Err(Error::field(field, "must be a user with the affiliate role"));
    }
    if active && user.status != users::ACTIVE {
        return Err(Error::field(field, "user is not active"));
    }
    Ok(user)
}

/// The offer `uuid` names, or a validation error on `field`.
pub(super) async fn offer_id<C: ConnectionTrait>(conn: &C, field: &str, uuid: &str) -> Result<i64> {
    offer_repo::find_by_uuid(conn, uuid.trim())
        .await?
        .map(|o| o.id)
        .ok_or_else(|| Error::field(field, "unknown offer"))
}

/// The advertiser `uuid` names, or a validation error on `field`.
pub(super) async fn advertiser<C: ConnectionTrait>(
    conn: &C,
    field: &str,
    uuid: &str,
) -> Result<AdvertiserRow> {
    advertiser_repo::find_by_uuid(conn, uuid.trim())
        .await?
        .ok_or_else(|| Error::field(field, "unknown advertiser"))
}

/// Public ids of these users.
pub(super) async fn user_uuids<C: ConnectionTrait>(
    conn: &C,
    ids: &[i64],
) -> Result<HashMap<i64, String>> {
    Ok(users_by_ids(conn, ids).await?.into_iter().map(|u| (u.id, u.uuid)).collect())
}

/// Public ids of these offers.
pub(super) async fn offer_uuids<C: ConnectionTrait>(
    conn: &C,
    ids: &[i64],
) -> Result<HashMap<i64, String>> {
    Ok(offer_repo::find_by_ids(conn, ids).await?.into_iter().map(|o| (o.id, o.uuid)).collect())
}

/// The distinct `Some` values of `it`.
pub(super) fn ids(it: impl IntoIterator<Item = Option<i64>>) -> Vec<i64> {
    let mut v: Vec<i64> = it.into_iter().flatten().collect();
    v.sort_unstable();
    v.dedup();
    v
}

/// Commits a change to the routing configuration and drops this instance's cached plans
/// (other instances pick it up within `distribution_cache_ttl`).
pub(crate) async fn commit_config(
    app: &crate::App,
    tx: brokercrm_store::DatabaseTransaction,
) -> Result<()> {
    brokercrm_store::db::commit(tx).await?;
    app.plans().invalidate();
    Ok(())
}
