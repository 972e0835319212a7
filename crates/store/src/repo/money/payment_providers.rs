//! Payment-provider settings: one row per provider that staff configured; a provider without
//! a row has its defaults (disabled, default order, no limits, no keys).

use brokercrm_core::Result;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ConnectionTrait, EntityTrait, QueryOrder, QuerySelect, Set};

use crate::db::now;
use crate::entities::payment_providers::{self, Column, Entity as Provider};
use crate::error::DbResultExt;

pub use crate::entities::payment_providers::Model as ProviderRow;

/// Every configured provider, by id (the registry is small and fixed).
pub async fn list<C: ConnectionTrait>(conn: &C) -> Result<Vec<ProviderRow>> {
    Provider::find().order_by_asc(Column::Id).all(conn).await.db()
}

pub async fn get<C: ConnectionTrait>(conn: &C, id: &str) -> Result<Option<ProviderRow>> {
    Provider::find_by_id(id.to_owned()).one(conn).await.db()
}

/// `get`, locking the row for the rest of the transaction (PostgreSQL; SQLite's write
/// transaction already excludes other writers).
pub async fn get_for_update<C: ConnectionTrait>(conn: &C, id: &str) -> Result<Option<ProviderRow>> {
    Provider::find_by_id(id.to_owned()).lock_exclusive().one(conn).await.db()
}

/// Inserts the default row of `id` (disabled, `sort`, nothing else) unless it exists, so a
/// following [`get_for_update`] has a row to lock and concurrent first writes serialise.
pub async fn ensure<C: ConnectionTrait>(conn: &C, id: &str, sort: i32) -> Result<()> {
    let t = now();
    let am = payment_providers::ActiveModel {
        id: Set(id.to_owned()),
        enabled: Set(false),
        sort: Set(sort),
        enabled_country_codes: Set(String::new()),
        minimum_deposit_amount: Set(None),
        maximum_deposit_amount: Set(None),
        minimum_withdrawal_amount: Set(None),
        maximum_withdrawal_amount: Set(None),
        predefined_deposit_amounts: Set(String::new()),
        key_values: Set(None),
        created_at: Set(t),
        updated_at: Set(t),
    };
    Provider::insert(am)
        .on_conflict_do_nothing_on([Column::Id])
        .exec_without_returning(conn)
        .await
        .db()?;
    Ok(())
}

/// Inserts or replaces every setting of `row.id`; `created_at` is kept on replace.
pub async fn upsert<C: ConnectionTrait>(conn: &C, row: ProviderRow) -> Result<()> {
    let t = now();
    let am = payment_providers::ActiveModel {
        id: Set(row.id),
        enabled: Set(row.enabled),
        sort: Set(row.sort),
        enabled_country_codes: Set(row.enabled_country_codes),
        minimum_deposit_amount: Set(row.minimum_deposit_amount),
        maximum_deposit_amount: Set(row.maximum_deposit_amount),
        minimum_withdrawal_amount: Set(row.minimum_withdrawal_amount),
        maximum_withdrawal_amount: Set(row.maximum_withdrawal_amount),
        predefined_deposit_amounts: Set(row.predefined_deposit_amounts),
        key_values: Set(row.key_values),
        created_at: Set(t),
        updated_at: Set(t),
    };
    Provider::insert(am)
        .on_conflict(
            OnConflict::column(Column::Id)
                .update_columns([
                    Column::Enabled,
                    Column::Sort,
                    Column::EnabledCountryCodes,
                    Column::MinimumDepositAmount,
                    Column::MaximumDepositAmount,
                    Column::MinimumWithdrawalAmount,
                    Column::MaximumWithdrawalAmount,
                    Column::PredefinedDepositAmounts,
                    Column::KeyValues,
                    Column::UpdatedAt,
                ])
                .to_owned(),
        )
        .exec_without_returning(conn)
        .await
        .db()?;
    Ok(())
}
