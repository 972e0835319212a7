//! Ledger accounts: get-or-create by unique key (a race creates one row), find by id or key,
//! and the accounts of wallets.

use brokercrm_core::money::ledger::{AccountKey, Policy};
use brokercrm_core::{Error, Result};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};

use super::AccountRow;
use crate::db::now;
use crate::entities::ledger_accounts::{self, Entity as Account};
use crate::error::DbResultExt;

/// The account for `key`, created with `policy` if it does not exist yet. An existing
/// account keeps the policy it was opened with; its book (demo or real) must be the key's.
pub async fn get_or_create<C: ConnectionTrait>(
    conn: &C,
    key: &AccountKey,
    policy: Policy,
) -> Result<AccountRow> {
    let k = key.key();
    if let Some(row) = find_by_key(conn, &k).await? {
        return same_book(row, key);
    }
    let row = ledger_accounts::ActiveModel {
        key: Set(k.clone()),
        kind: Set(key.kind().as_str().to_owned()),
        currency: Set(key.currency().as_str().to_owned()),
        wallet_id: Set(key.wallet_id()),
        provider: Set(key.provider().map(str::to_owned)),
        balance: Set(0),
        pending_debits: Set(0),
        pending_credits: Set(0),
        floor: Set(policy.floor.minor()),
        allows_overdraft: Set(policy.allows_overdraft),
        demo: Set(key.demo()),
        created_at: Set(now()),
        ..Default::default()
    };
    Account::insert(row)
        .on_conflict_do_nothing_on([ledger_accounts::Column::Key])
        .exec_without_returning(conn)
        .await
        .db()?;
    let row = find_by_key(conn, &k)
        .await?
        .ok_or_else(|| Error::internal("ledger account not found after insert"))?;
    same_book(row, key)
}

/// `row` if it is in `key`'s book (an account never changes book).
fn same_book(row: AccountRow, key: &AccountKey) -> Result<AccountRow> {
    if row.demo == key.demo() {
        Ok(row)
    } else {
        Err(brokercrm_core::money::ledger::transfer::mixed_books())
    }
}

/// The ids of the accounts under `keys`, in order, each opened with its policy if missing.
/// One read when they all exist (the common case on a money path).
pub async fn get_or_create_many<C: ConnectionTrait>(
    conn: &C,
    keys: &[(AccountKey, Policy)],
) -> Result<Vec<i64>> {
    let wanted: Vec<String> = keys.iter().map(|(k, _)| k.key()).collect();
    let found = find_by_keys(conn, &wanted).await?;
    let mut ids = Vec::with_capacity(keys.len());
    for ((key, policy), k) in keys.iter().zip(&wanted) {
        match found.iter().find(|row| &row.key == k) {
            Some(row) => ids.push(same_book(row.clone(), key)?.id),
            None => ids.push(get_or_create(conn, key, *policy).await?.id),
        }
    }
    Ok(ids)
}

/// The accounts under `keys` that exist (any order).
pub async fn find_by_keys<C: ConnectionTrait>(
    conn: &C,
    keys: &[String],
) -> Result<Vec<AccountRow>> {
    Account::find()
        .filter(ledger_accounts::Column::Key.is_in(keys.iter().cloned()))
        .all(conn)
        .await
        .db()
}

/// One account by id.
pub async fn find<C: ConnectionTrait>(conn: &C, id: i64) -> Result<Option<AccountRow>> {
    Account::find_by_id(id).one(conn).await.db()
}

/// One account by its unique key.
pub async fn find_by_key<C: ConnectionTrait>(conn: &C, key: &str) -> Result<Option<AccountRow>> {
    Account::find().filter(ledger_accounts::Column::Key.eq(key)).one(conn).await.db()
}

/// The accounts attached to a wallet (balance and credit), by id.
pub async fn for_wallet<C: ConnectionTrait>(conn: &C, wallet_id: i64) -> Result<Vec<AccountRow>> {
    Account::find()
        .filter(ledger_accounts::Column::WalletId.eq(wallet_id))
        .order_by_asc(ledger_accounts::Column::Id)
        .all(conn)
        .await
        .db()
}

/// The accounts (balance and credit) of the wallets `wallet_ids`.
pub async fn for_wallets<C: ConnectionTrait>(
    conn: &C,
    wallet_ids: &[i64],
) -> Result<Vec<AccountRow>> {
    if wallet_ids.is_empty() {
        return Ok(Vec::new());
    }
    Account::find()
        .filter(ledger_accounts::Column::WalletId.is_in(wallet_ids.iter().copied()))
        .all(conn)
        .await
        .db()
}

/// The account ids of the wallets `wallet_ids`.
pub async fn ids_for_wallets<C: ConnectionTrait>(conn: &C, wallet_ids: &[i64]) -> Result<Vec<i64>> {
    if wallet_ids.is_empty() {
        return Ok(Vec::new());
    }
    Account::find()
        .select_only()
        .column(ledger_accounts::Column::Id)
        .filter(ledger_accounts::Column::WalletId.is_in(wallet_ids.iter().copied()))
        .into_tuple::<i64>()
        .all(conn)
        .await
        .db()
}

/// The wallet accounts among `ids` (house accounts are left out).
pub async fn wallet_accounts_among<C: ConnectionTrait>(
    conn: &C,
    ids: &[i64],
) -> Result<Vec<AccountRow>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Account::find()
        .filter(ledger_accounts::Column::Id.is_in(ids.iter().copied()))
        .filter(ledger_accounts::Column::WalletId.is_not_null())
        .all(conn)
        .await
        .db()
}
