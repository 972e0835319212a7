//! Applying a new transfer (single or pending) inside the caller's write transaction: insert
//! the row under its unique transfer id (a replay compares body hashes), then move both
//! accounts with guarded updates. Any refusal returns an error and the caller rolls back, so
//! a refused transfer leaves no row and its id may be tried again.

use brokercrm_core::money::ledger::{NewTransfer, TransferState, compare_replay};
use brokercrm_core::{Error, Result};
use sea_orm::{ConnectionTrait, DbErr, EntityTrait, Set, TryInsertResult};

use super::moves::{self, Move};
use super::{Applied, TransferRow, transfers};
use crate::db::now;
use crate::entities::ledger_transfers::{self, Entity as Transfer};

/// Applies `t` (validated by the caller) whose canonical body hashes to `body_hash`.
pub async fn transfer<C: ConnectionTrait>(
    conn: &C,
    t: &NewTransfer,
    body_hash: &str,
) -> Result<Applied> {
    let row = new_row(t, body_hash, now());
    let Some(row) = insert_new(conn, row).await? else {
        return replay(conn, t.id.as_str(), body_hash).await;
    };
    let (debit, credit) = if t.pending {
        (Move::ReserveDebit, Move::ReserveCredit)
    } else {
        (Move::Debit, Move::Credit)
    };
    let (d, c) = (t.debit_account_id, t.credit_account_id);
    let mut sides = [(d, c, debit), (c, d, credit)];
    sides.sort_by_key(|(id, _, _)| *id);
    for (id, peer, mv) in sides {
        moves::apply(conn, id, peer, t.currency, mv, t.amount.minor()).await?;
    }
    Ok(Applied { transfer: row, replayed: false })
}

/// The row of new transfer `t` (validated by the caller), created `at`.
pub(crate) fn new_row(
    t: &NewTransfer,
    body_hash: &str,
    at: chrono::DateTime<chrono::Utc>,
) -> ledger_transfers::ActiveModel {
    let state = if t.pending { TransferState::Pending } else { TransferState::Posted };
    ledger_transfers::ActiveModel {
        transfer_id: Set(t.id.as_str().to_owned()),
        debit_account_id: Set(t.debit_account_id),
        credit_account_id: Set(t.credit_account_id),
        amount: Set(t.amount.minor()),
        currency: Set(t.currency.as_str().to_owned()),
        code: Set(t.code.as_str().to_owned()),
        kind: Set(t.kind().as_str().to_owned()),
        state: Set(state.as_str().to_owned()),
        pending_id: Set(None),
        user_data: Set(t.user_data.clone()),
        body_hash: Set(body_hash.to_owned()),
        created_at: Set(at),
        ..Default::default()
    }
}

/// Inserts a transfer row and returns it (RETURNING on both databases), or `None` when its
/// transfer id is already taken (the caller answers with a replay).
pub(crate) async fn insert_new<C: ConnectionTrait>(
    conn: &C,
    row: ledger_transfers::ActiveModel,
) -> Result<Option<TransferRow>> {
    let inserted = Transfer::insert(row)
        .on_conflict_do_nothing_on([ledger_transfers::Column::TransferId])
        .exec_with_returning(conn)
        .await;
    match inserted {
        Ok(TryInsertResult::Inserted(row)) => Ok(Some(row)),
        // DO NOTHING returned no row: SeaORM reports it as Conflicted or as RecordNotFound.
        Ok(TryInsertResult::Conflicted | TryInsertResult::Empty)
        | Err(DbErr::RecordNotFound(_)) => Ok(None),
        Err(e) => Err(match crate::error::map_db_err(e) {
            // The only foreign keys are the two accounts.
            Error::Conflict(_) => Error::NotFound("ledger account"),
            other => other,
        }),
    }
}

/// The answer for an id that already exists: the stored transfer if the body is the same,
/// else a conflict.
pub(crate) async fn replay<C: ConnectionTrait>(
    conn: &C,
    transfer_id: &str,
    body_hash: &str,
) -> Result<Applied> {
    let existing = transfers::find(conn, transfer_id)
        .await?
        .ok_or_else(|| Error::internal("transfer id conflicted but no row was found"))?;
    compare_replay(&existing.body_hash, body_hash)?;
    Ok(Applied { transfer: existing, replayed: true })
}
