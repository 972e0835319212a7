//! Countries: the ISO 3166-1 list seeded by migration, each enabled or disabled by admins.

use brokercrm_core::Result;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};

use crate::db::now;
use crate::entities::countries::{self, Entity as Country};
use crate::error::DbResultExt;

pub use crate::entities::countries::Model as CountryRow;

/// Every country, ordered by code (callers sort for display).
pub async fn all<C: ConnectionTrait>(conn: &C) -> Result<Vec<CountryRow>> {
    Country::find().order_by_asc(countries::Column::Id).all(conn).await.db()
}

/// One country by its upper-case code.
pub async fn get<C: ConnectionTrait>(conn: &C, id: &str) -> Result<Option<CountryRow>> {
    Country::find_by_id(id.to_owned()).one(conn).await.db()
}

/// Sets `enabled`; returns whether the country exists.
pub async fn set_enabled<C: ConnectionTrait>(conn: &C, id: &str, enabled: bool) -> Result<bool> {
    let res = Country::update_many()
        .col_expr(countries::Column::Enabled, Expr::value(enabled))
        .col_expr(countries::Column::UpdatedAt, Expr::value(now()))
        .filter(countries::Column::Id.eq(id))
        .exec(conn)
        .await
        .db()?;
    Ok(res.rows_affected == 1)
}

/// How many countries exist.
pub async fn count<C: ConnectionTrait>(conn: &C) -> Result<u64> {
    Country::find().count(conn).await.db()
}
