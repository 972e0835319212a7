//! Transfers between wallets of one owner: `input` (what is asked and checked), `plan`
//! (deciding a batch in memory), `lane` (the group-commit writer), `alone` (a transfer in its
//! own transaction), depending one way in that order; the use case here.

mod alone;
mod input;
pub(crate) mod lane;
mod plan;

pub use input::TransferInput;
pub(crate) use plan::{deltas, model_of};

use brokercrm_core::identity::auth::Permission;
use brokercrm_core::money::wallets::transfer_id;
use brokercrm_core::{Error, Result};
use brokercrm_store::repo::money::wallets;
use brokercrm_store::{DbResultExt, TransactionTrait};

use crate::money::events::OpenPositionsAsked;
use crate::money::scope::MoneyScope;
use crate::{App, Principal};
use input::{Batched, Request, check_input};

/// "Transfer money between wallets" of one owner. Staff need ManageWalletMoney (audited); a
/// customer may move money between their own wallets. A transfer within one currency goes
/// through the group-commit lane ([`lane`]); across currencies, or when a
/// wallet's ledger account is not opened yet, it runs alone ([`transfer_alone`]).
pub async fn transfer(
    app: &App,
    actor: &Principal,
    input: TransferInput,
    idempotency_key: Option<&str>,
) -> Result<()> {
    actor.forbid_impersonation("transfer money")?;
    check_input(input)?;
    let id = transfer_id(actor.user_id, idempotency_key)?;
    if actor.role.is_staff() {
        in_scope(app, actor, input).await?;
    }
    // A wallet holding open positions keeps their margin: its transfers run alone, where
    // trading checks the free margin in the moving transaction.
    if holds_positions(app, input.source_wallet_id).await? {
        return alone::transfer_alone(app, actor, input, id).await;
    }
    let request = Request { actor: actor.clone(), input, id: id.clone() };
    match lane::run(app, request).await? {
        Batched::Applied => Ok(()),
        Batched::Alone => alone::transfer_alone(app, actor, input, id).await,
    }
}

/// Whether wallet `id` holds open positions (asked of trading).
async fn holds_positions(app: &App, id: i64) -> Result<bool> {
    let asked = OpenPositionsAsked { among: Some(vec![id]), ..OpenPositionsAsked::default() };
    let tx = app.db().conn().begin().await.db()?;
    app.events().publish(&tx, &asked).await?;
    tx.rollback().await.db()?;
    let ids = asked.wallet_ids.into_inner().map_err(|_| Error::internal("positions lock"))?;
    Ok(!ids.is_empty())
}

/// Staff need ManageWalletMoney and both wallets' owner in their customer scope (a wallet out
/// of scope answers as a missing one). Checked before the lane, which decides on wallets it
/// reads without the scope; a missing wallet is left to the lane's answer.
async fn in_scope(app: &App, actor: &Principal, input: TransferInput) -> Result<()> {
    let conn = app.db().conn();
    let scope = MoneyScope::of(conn, actor, Permission::ManageWalletMoney).await?;
    if scope.owners().is_none() {
        return Ok(());
    }
    for (id, field) in
        [(input.source_wallet_id, "sourceWalletId"), (input.target_wallet_id, "targetWalletId")]
    {
        if let Some(w) = wallets::find(conn, id).await? {
            scope.require(conn, w.user_id, || Error::field(field, "no such wallet")).await?;
        }
    }
    Ok(())
}
