//! Watchlists: the symbols a wallet watches (unique per wallet).

use brokercrm_core::Result;
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};

use crate::db::now;
use crate::entities::watchlist_entries::{self, Column as E, Entity as Entry};
use crate::error::DbResultExt;

/// The symbols wallet `wallet_id` watches, in the order they were added.
pub async fn symbols<C: ConnectionTrait>(conn: &C, wallet_id: i64) -> Result<Vec<String>> {
    Entry::find()
        .select_only()
        .column(E::Symbol)
        .filter(E::WalletId.eq(wallet_id))
        .order_by_asc(E::Id)
        .into_tuple::<String>()
        .all(conn)
        .await
        .db()
}

/// The symbols each of `wallet_ids` watches, as `(wallet id, symbol)` in the order added.
pub async fn symbols_of<C: ConnectionTrait>(
    conn: &C,
    wallet_ids: &[i64],
) -> Result<Vec<(i64, String)>> {
    if wallet_ids.is_empty() {
        return Ok(Vec::new());
    }
    Entry::find()
        .select_only()
        .column(E::WalletId)
        .column(E::Symbol)
        .filter(E::WalletId.is_in(wallet_ids.iter().copied()))
        .order_by_asc(E::Id)
        .into_tuple::<(i64, String)>()
        .all(conn)
        .await
        .db()
}

/// Adds `symbol` (nothing when it is already there).
pub async fn add<C: ConnectionTrait>(conn: &C, wallet_id: i64, symbol: &str) -> Result<()> {
    let row = watchlist_entries::ActiveModel {
        wallet_id: Set(wallet_id),
        symbol: Set(symbol.to_owned()),
        created_at: Set(now()),
        ..Default::default()
    };
    Entry::insert(row)
        .on_conflict(OnConflict::columns([E::WalletId, E::Symbol]).do_nothing().to_owned())
        .exec_without_returning(conn)
        .await
        .db()
        .map(|_| ())
}

/// Removes `symbol`; whether it was there.
pub async fn remove<C: ConnectionTrait>(conn: &C, wallet_id: i64, symbol: &str) -> Result<bool> {
    let r = Entry::delete_many()
        .filter(E::WalletId.eq(wallet_id))
        .filter(E::Symbol.eq(symbol))
        .exec(conn)
        .await
        .db()?;
    Ok(r.rows_affected > 0)
}
