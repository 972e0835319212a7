//! Transfers between wallets of one owner: `input` (what is asked and checked), `plan`
//! (deciding a batch in memory), `lane` (the group-commit writer), `alone` (a transfer in its
//! own transaction), depending one way in that order; the use case here.

mod alone;
mod input;
pub(crate) mod lane;
mod plan;

pub use input::TransferInput;

use brokercrm_core::Result;
use brokercrm_core::identity::auth::Permission;
use brokercrm_core::money::wallets::transfer_id;

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
        actor.require(Permission::ManageWalletMoney)?;
    }
    let request = Request { actor: actor.clone(), input, id: id.clone() };
    match lane::run(app, request).await? {
        Batched::Applied => Ok(()),
        Batched::Alone => alone::transfer_alone(app, actor, input, id).await,
    }
}
