//! A transfer in its own write transaction: across currencies (through the FX house
//! accounts), or when the lane cannot take it.

use brokercrm_core::money::ledger::{AccountKey, NewTransfer, TransferCode, TransferId};
use brokercrm_core::{Currency, Error, Result};
use brokercrm_store::db;
use brokercrm_store::repo::money::ledger::accounts;
use brokercrm_store::repo::money::wallets;

use super::input::{TransferInput, check_pair, same_currency_details};
use crate::money::events::FundsLeaving;
use crate::money::ledger::transfer::apply_in;
use crate::money::wallets::{balance_accounts, currency_of};
use crate::platform::audit::{self, Audit};
use crate::{App, Principal};

/// A transfer in its own write transaction (any currencies; opens missing ledger accounts).
pub(super) async fn transfer_alone(
    app: &App,
    actor: &Principal,
    input: TransferInput,
    id: TransferId,
) -> Result<()> {
    let tx = app.db().begin_write().await?;
    let src = wallets::find(&tx, input.source_wallet_id).await?;
    let dst = wallets::find(&tx, input.target_wallet_id).await?;
    let (src, dst) = check_pair(actor, src, dst)?;
    let leaving = FundsLeaving { wallet: src.clone(), amount: input.amount };
    app.events().publish(&tx, &leaving).await?;
    let (from, to) = balance_accounts(&tx, &src, &dst).await?;
    let (src_cur, dst_cur) = (currency_of(&src)?, currency_of(&dst)?);
    let leg = |id: TransferId, debit, credit, amount, currency| NewTransfer {
        id,
        debit_account_id: debit,
        credit_account_id: credit,
        amount,
        currency,
        code: TransferCode::WalletTransfer,
        user_data: None,
        pending: false,
    };
    let (replayed, details) = if src_cur == dst_cur {
        let replayed =
            apply_in(&tx, &leg(id.clone(), from, to, input.amount, src_cur)).await?.replayed;
        (replayed, same_currency_details(input.amount, &src, &dst, &id))
    } else {
        let fx_out = fx_account(&tx, src_cur).await?;
        let fx_in = fx_account(&tx, dst_cur).await?;
        // A replay of the first leg means the whole transfer was applied before: the second
        // leg is not recomputed (the rate may have moved since).
        if apply_in(&tx, &leg(id.clone(), from, fx_out, input.amount, src_cur)).await?.replayed {
            return db::commit(tx).await;
        }
        let converted = crate::money::fx::convert_with(&tx, input.amount, &src_cur, &dst_cur)
            .await
            .map_err(|e| match e {
                Error::Validation(f) if f.iter().any(|f| f.field == "currency") => Error::field(
                    "targetWalletId",
                    format!("no conversion path from {src_cur} to {dst_cur}"),
                ),
                other => other,
            })?;
        if !converted.amount.is_positive() {
            return Err(Error::field("amount", "is too small to convert"));
        }
        let in_id = TransferId::parse("Idempotency-Key", &format!("{id}:in"))?;
        apply_in(&tx, &leg(in_id, fx_in, to, converted.amount, dst_cur)).await?;
        let path: Vec<String> = converted.path.iter().map(ToString::to_string).collect();
        (
            false,
            format!(
                "{} {} from wallet {} to wallet {} as {} {} (rate {}, path {}, transfer {id})",
                input.amount,
                src.currency,
                src.id,
                dst.id,
                converted.amount,
                dst.currency,
                converted.rate,
                path.join("→")
            ),
        )
    };
    if !replayed && actor.role.is_staff() {
        let entry = Audit::new("wallet.transfer", "wallet", src.id.to_string()).details(details);
        audit::record(&tx, Some(actor), entry).await?;
    }
    db::commit(tx).await
}

/// The FX house account of `currency` (cross-currency transfers pass through it).
async fn fx_account<C: brokercrm_store::ConnectionTrait>(
    conn: &C,
    currency: Currency,
) -> Result<i64> {
    let kind = brokercrm_core::money::ledger::AccountKind::FxConversion;
    let key = AccountKey::house(kind, currency)?;
    Ok(accounts::get_or_create(conn, &key, kind.default_policy()).await?.id)
}
