//! Reads of transfers: one by its transfer id, and an account's transfers newest first with
//! keyset paging on the row sequence.

use brokercrm_core::Result;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};

use super::TransferRow;
use crate::entities::ledger_transfers::{Column as T, Entity as Transfer};
use crate::error::DbResultExt;

/// One transfer by its transfer id.
pub async fn find<C: ConnectionTrait>(conn: &C, transfer_id: &str) -> Result<Option<TransferRow>> {
    Transfer::find().filter(T::TransferId.eq(transfer_id)).one(conn).await.db()
}

/// Transfers debiting or crediting `account_id`, newest first; `before` is the row id
/// (`TransferRow::id`) of the last row of the previous page.
pub async fn for_account<C: ConnectionTrait>(
    conn: &C,
    account_id: i64,
    before: Option<i64>,
    limit: u64,
) -> Result<Vec<TransferRow>> {
    let mut q = Transfer::find().filter(
        Condition::any()
            .add(T::DebitAccountId.eq(account_id))
            .add(T::CreditAccountId.eq(account_id)),
    );
    if let Some(b) = before {
        q = q.filter(T::Id.lt(b));
    }
    q.order_by_desc(T::Id).limit(limit.clamp(1, 10_000)).all(conn).await.db()
}
