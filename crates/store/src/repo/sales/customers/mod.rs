//! Customers: their profile rows (referring affiliate, external id, notes, risk status, KYC
//! reviewer), assigned groups, documents and the filtered list ([`list`]); their deposit and
//! withdrawal figures are read from the ledger (`money::ledger::customer_moves`).

pub use crate::repo::onboarding::documents;
pub mod list;

use brokercrm_core::Result;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set};

use crate::db::now;
use crate::entities::customer_groups::{self as cg, Entity as CustomerGroup};
use crate::entities::customer_profiles::{self as cp, Entity as Profile};
use crate::error::DbResultExt;

pub use crate::entities::customer_profiles::Model as ProfileRow;

/// The profile of a customer; `None` when nothing beyond the user row was ever stored.
pub async fn profile<C: ConnectionTrait>(conn: &C, customer_id: i64) -> Result<Option<ProfileRow>> {
    Profile::find_by_id(customer_id).one(conn).await.db()
}

/// Profiles of these customers (any order).
pub async fn profiles<C: ConnectionTrait>(conn: &C, ids: &[i64]) -> Result<Vec<ProfileRow>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Profile::find().filter(cp::Column::CustomerId.is_in(ids.to_vec())).all(conn).await.db()
}

/// An empty profile of `customer_id` (to fill and [`save_profile`]).
pub fn empty_profile(customer_id: i64) -> ProfileRow {
    ProfileRow {
        customer_id,
        affiliate_id: None,
        external_id: None,
        notes: None,
        risk_status: None,
        kyc_reviewed_by: None,
        kyc_reviewed_at: None,
        updated_at: now(),
    }
}

/// Inserts or replaces a profile. A second referral of one affiliate with the same
/// external id is a `Conflict` (unique index).
pub async fn save_profile<C: ConnectionTrait>(conn: &C, row: ProfileRow) -> Result<()> {
    let am = cp::ActiveModel {
        customer_id: Set(row.customer_id),
        affiliate_id: Set(row.affiliate_id),
        external_id: Set(row.external_id),
        notes: Set(row.notes),
        risk_status: Set(row.risk_status),
        kyc_reviewed_by: Set(row.kyc_reviewed_by),
        kyc_reviewed_at: Set(row.kyc_reviewed_at),
        updated_at: Set(now()),
    };
    Profile::insert(am)
        .on_conflict(
            OnConflict::column(cp::Column::CustomerId)
                .update_columns([
                    cp::Column::AffiliateId,
                    cp::Column::ExternalId,
                    cp::Column::Notes,
                    cp::Column::RiskStatus,
                    cp::Column::KycReviewedBy,
                    cp::Column::KycReviewedAt,
                    cp::Column::UpdatedAt,
                ])
                .to_owned(),
        )
        .exec_without_returning(conn)
        .await
        .db()
        .map(|_| ())
}

/// Group ids of these customers, as (customer, group) pairs ordered by group id.
pub async fn groups_of<C: ConnectionTrait>(conn: &C, ids: &[i64]) -> Result<Vec<(i64, i64)>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let rows = CustomerGroup::find()
        .filter(cg::Column::CustomerId.is_in(ids.to_vec()))
        .order_by_asc(cg::Column::GroupId)
        .all(conn)
        .await
        .db()?;
    Ok(rows.into_iter().map(|r| (r.customer_id, r.group_id)).collect())
}

/// Replaces the groups of `customer_id`.
pub async fn set_groups<C: ConnectionTrait>(
    conn: &C,
    customer_id: i64,
    group_ids: &[i64],
) -> Result<()> {
    CustomerGroup::delete_many()
        .filter(cg::Column::CustomerId.eq(customer_id))
        .exec(conn)
        .await
        .db()?;
    if group_ids.is_empty() {
        return Ok(());
    }
    let rows = group_ids
        .iter()
        .map(|g| cg::ActiveModel { customer_id: Set(customer_id), group_id: Set(*g) });
    CustomerGroup::insert_many(rows).exec_without_returning(conn).await.db().map(|_| ())
}
