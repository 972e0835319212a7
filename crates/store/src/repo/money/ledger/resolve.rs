//! Posting or voiding a pending transfer inside the caller's write transaction. The decision
//! is one conditional update of the pending row (`WHERE state = 'pending'`), so of two
//! concurrent deciders exactly one wins; the loser gets a conflict (or, if it was a replay of
//! the winner's request, the winner's result).

use brokercrm_core::money::ledger::transfer::already_resolved;
use brokercrm_core::money::ledger::{ResolveTransfer, TransferKind, TransferState};
use brokercrm_core::{Error, Money, Result};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

use super::apply::{insert_new, replay};
use super::{Applied, moves, transfers};
use crate::db::now;
use crate::entities::ledger_transfers::{self, Column as T, Entity as Transfer};
use crate::error::DbResultExt;

/// Resolves `r.pending_id` as `r` says (validated by the caller); `body_hash` is the hash of
/// `r`'s canonical body.
pub async fn resolve<C: ConnectionTrait>(
    conn: &C,
    r: &ResolveTransfer,
    body_hash: &str,
) -> Result<Applied> {
    if transfers::find(conn, r.id.as_str()).await?.is_some() {
        return replay(conn, r.id.as_str(), body_hash).await;
    }
    let pending =
        transfers::find(conn, r.pending_id.as_str()).await?.ok_or(Error::NotFound("transfer"))?;
    if pending.kind != TransferKind::Pending.as_str() {
        return Err(Error::field("pendingId", "is not a pending transfer"));
    }
    let target = r.target_state();
    let won = Transfer::update_many()
        .col_expr(T::State, Expr::value(target.as_str()))
        .filter(T::TransferId.eq(pending.transfer_id.as_str()))
        .filter(T::State.eq(TransferState::Pending.as_str()))
        .exec(conn)
        .await
        .db()?
        .rows_affected
        == 1;
    if !won {
        // A concurrent request decided first. If it was this same request, answer its result.
        if transfers::find(conn, r.id.as_str()).await?.is_some() {
            return replay(conn, r.id.as_str(), body_hash).await;
        }
        let now_state = transfers::find(conn, r.pending_id.as_str())
            .await?
            .and_then(|p| TransferState::parse("state", &p.state).ok())
            .unwrap_or(target);
        return Err(already_resolved(now_state));
    }
    // Refused here, the caller's rollback also undoes the state change above.
    let posted = r.amount_of(Money::from_minor(pending.amount))?.minor();
    let row = ledger_transfers::ActiveModel {
        transfer_id: Set(r.id.as_str().to_owned()),
        debit_account_id: Set(pending.debit_account_id),
        credit_account_id: Set(pending.credit_account_id),
        amount: Set(if target == TransferState::Posted { posted } else { pending.amount }),
        currency: Set(pending.currency.clone()),
        code: Set(pending.code.clone()),
        kind: Set(r.kind().as_str().to_owned()),
        state: Set(target.as_str().to_owned()),
        pending_id: Set(Some(pending.transfer_id.clone())),
        user_data: Set(r.user_data.clone()),
        body_hash: Set(body_hash.to_owned()),
        created_at: Set(now()),
        ..Default::default()
    };
    let Some(row) = insert_new(conn, row).await? else {
        // Taken meanwhile by a request for another pending transfer: a different body.
        return replay(conn, r.id.as_str(), body_hash).await;
    };
    let moved = if target == TransferState::Posted { posted } else { 0 };
    let mut sides = [(pending.debit_account_id, true), (pending.credit_account_id, false)];
    sides.sort_by_key(|(id, _)| *id);
    for (id, is_debit) in sides {
        if is_debit {
            moves::settle_debit(conn, id, pending.amount, moved).await?;
        } else {
            moves::settle_credit(conn, id, pending.amount, moved).await?;
        }
    }
    Ok(Applied { transfer: row, replayed: false })
}
