//! Settings: a key/value table; secret values are flagged so they are never returned in full.

use brokercrm_core::Result;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ConnectionTrait, EntityTrait, QueryOrder, QuerySelect, Set};

use crate::db::now;
use crate::entities::settings::{self, Entity as Setting};
use crate::error::DbResultExt;

pub use crate::entities::settings::Model as SettingRow;

pub async fn get<C: ConnectionTrait>(conn: &C, key: &str) -> Result<Option<SettingRow>> {
    Setting::find_by_id(key.to_owned()).one(conn).await.db()
}

/// Like [`get`], locking the row until the transaction ends (`FOR UPDATE` on PostgreSQL; the
/// IMMEDIATE write transaction already serialises writers on SQLite).
pub async fn get_for_update<C: ConnectionTrait>(conn: &C, key: &str) -> Result<Option<SettingRow>> {
    Setting::find_by_id(key.to_owned()).lock_exclusive().one(conn).await.db()
}

/// Inserts or replaces `key`.
pub async fn put<C: ConnectionTrait>(conn: &C, key: &str, value: &str, secret: bool) -> Result<()> {
    let row = settings::ActiveModel {
        key: Set(key.to_owned()),
        value: Set(value.to_owned()),
        secret: Set(secret),
        updated_at: Set(now()),
    };
    Setting::insert(row)
        .on_conflict(
            OnConflict::column(settings::Column::Key)
                .update_columns([
                    settings::Column::Value,
                    settings::Column::Secret,
                    settings::Column::UpdatedAt,
                ])
                .to_owned(),
        )
        .exec(conn)
        .await
        .db()
        .map(|_| ())
}

/// Inserts `key` only if absent; returns the stored value either way (first writer wins).
pub async fn put_if_absent<C: ConnectionTrait>(
    conn: &C,
    key: &str,
    value: &str,
    secret: bool,
) -> Result<String> {
    let row = settings::ActiveModel {
        key: Set(key.to_owned()),
        value: Set(value.to_owned()),
        secret: Set(secret),
        updated_at: Set(now()),
    };
    Setting::insert(row)
        .on_conflict_do_nothing_on([settings::Column::Key])
        .exec(conn)
        .await
        .db()?;
    Ok(get(conn, key).await?.map(|r| r.value).unwrap_or_else(|| value.to_owned()))
}

pub async fn all<C: ConnectionTrait>(conn: &C) -> Result<Vec<SettingRow>> {
    Setting::find().order_by_asc(settings::Column::Key).all(conn).await.db()
}
