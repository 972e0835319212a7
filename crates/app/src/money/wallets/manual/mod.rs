//! The admin manual transaction of "Get wallet transactions" (DEPOSIT, WITHDRAWAL, BONUS,
//! CORRECTION, optionally to credit): `post` (the checked movement and what follows its
//! posting), `decide` (a batch decided on the reference model, and its hooks and audit),
//! `remembered` (PostgreSQL: a batch decided on remembered sums, written in one statement),
//! `lane` (group commit: every manual movement shares one house account per currency —
//! manual cash clearing, bonus expense, adjustments — so they are written a batch per
//! transaction, the hot row updated once per batch), `alone` (one movement in its own
//! transaction, opening missing accounts), depending one way in that order.

mod alone;
mod decide;
pub(crate) mod lane;
mod post;
mod remembered;

use brokercrm_core::Result;
use brokercrm_core::identity::auth::Permission;
use brokercrm_core::money::wallets::{ManualType, transfer_id};
use brokercrm_core::validate::opt_text;

use brokercrm_store::repo::money::wallets::WalletRow;

use crate::{App, Principal};
use lane::Posted;
use post::Manual;
pub use post::ManualInput;

/// What a recorded manual transaction read on the way: its wallet (visible to the actor with
/// ManageWalletMoney) and, when read before the write, the wallet's balance and credit
/// account ids (`None`: not read; an account not opened then is opened by the movement).
pub struct Recorded {
    pub(crate) wallet: WalletRow,
    pub(crate) accounts: Option<(Option<i64>, Option<i64>)>,
}

/// Records a manual transaction on wallet `wallet_id` (ManageWalletMoney). Deposits and
/// withdrawals go against the `manual` cash-clearing account, bonuses against bonus
/// expense, corrections (positive or negative) against adjustments. Audited. The wallet and
/// the accounts are read first; the movement is then decided and written in the next batch of
/// the manual lane, or alone when an account is not opened yet or the batch failed.
pub async fn manual(
    app: &App,
    actor: &Principal,
    wallet_id: i64,
    input: ManualInput,
    idempotency_key: Option<&str>,
) -> Result<Recorded> {
    actor.require(Permission::ManageWalletMoney)?;
    let kind = ManualType::parse("type", input.kind.trim())?;
    let movement = kind.movement(input.amount)?;
    let comment = opt_text("comment", input.comment.as_deref(), 1000)?;
    let method = opt_text("method", input.method.as_deref(), 64)?;
    let id = transfer_id(actor.user_id, idempotency_key)?;
    let m = Manual { actor: actor.clone(), wallet_id, kind, movement, input, comment, method, id };
    match post::prepare(app, &m).await? {
        Some(prepared) => {
            let (wallet, accounts) = (prepared.wallet.clone(), prepared.accounts);
            match lane::run(app, prepared).await? {
                Posted::Done => Ok(Recorded { wallet, accounts: Some(accounts) }),
                Posted::Alone => alone_again(app, &m).await,
            }
        }
        None => alone_again(app, &m).await,
    }
}

/// [`alone::manual_alone`], run again while the database aborts it for the moment (a deadlock
/// with another writer of the same accounts).
async fn alone_again(app: &App, m: &Manual) -> Result<Recorded> {
    let wallet = crate::platform::retry::transient(|| alone::manual_alone(app, m)).await?;
    Ok(Recorded { wallet, accounts: None })
}
