//! "Transfer money transaction": sends an approved withdrawal out through a transfer method
//! (`bitstamp`, `trustology`) with that provider's configured keys. The payout is claimed
//! first (one conditional update), so it is sent at most once; a failed call releases the
//! claim so staff may retry.

use brokercrm_core::identity::auth::Permission;
use brokercrm_core::validate::opt_text;
use brokercrm_core::{Error, Money, Result};
use brokercrm_integrations::outbound::check_target;
use brokercrm_integrations::payments::payout::{self, Payout};
use brokercrm_store::repo::money::payment_requests as requests;

use super::status::{APPROVED, WITHDRAWAL};
use super::views::{self, TransactionView};
use crate::money::scope::require_owner;
use crate::platform::audit::{self, Audit};
use crate::{App, Principal};

/// "Transfer money transaction" input.
#[derive(Debug, Clone)]
pub struct PayoutInput {
    pub method: String,
    /// Default: the address the client gave.
    pub address: Option<String>,
    /// Default (and most): the approved amount.
    pub amount: Option<Money>,
}

/// Sends approved withdrawal `id` out (ManageTransactions); returns the withdrawal with its
/// payout status `sent` and the provider's reference.
pub async fn transfer(
    app: &App,
    actor: &Principal,
    id: &str,
    input: PayoutInput,
) -> Result<TransactionView> {
    actor.require(Permission::ManageTransactions)?;
    let method = input.method.trim();
    let client = payout::client(method)
        .ok_or_else(|| Error::field("method", "must be bitstamp or trustology"))?;
    let conn = app.db().conn();
    let r = requests::find(conn, id.trim())
        .await?
        .filter(|r| r.kind == WITHDRAWAL)
        .ok_or(Error::NotFound("transaction"))?;
    let out = || Error::NotFound("transaction");
    require_owner(conn, actor, r.user_id, Permission::ManageTransactions, out).await?;
    if r.status != APPROVED {
        return Err(Error::Conflict(format!("the withdrawal is {}, not approved", r.status)));
    }
    let approved = Money::from_minor(r.final_amount.unwrap_or(r.amount));
    let amount = match input.amount {
        Some(a) if !a.is_positive() || a > approved => {
            return Err(Error::field("amount", format!("must be above 0 and at most {approved}")));
        }
        Some(a) => a,
        None => approved,
    };
    let address = opt_text("address", input.address.as_deref(), 256)?
        .or_else(|| r.wallet_address.clone())
        .ok_or_else(|| Error::field("address", "is required"))?;
    let provider = crate::money::payments::load_one(app, conn, method, false).await?;
    if !provider.enabled {
        return Err(Error::field("method", "the provider is not enabled"));
    }
    let base = match method {
        "bitstamp" => app.cfg().bitstamp_api_url.clone(),
        _ => provider.key_values.get("apiUrl").cloned().unwrap_or_default(),
    };
    let url = url::Url::parse(&base).map_err(|_| Error::field("method", "bad provider URL"))?;
    check_target(&url, app.cfg().allow_private_outbound)
        .map_err(|_| Error::field("method", "the provider URL is not allowed"))?;
    if !requests::claim_payout(app.db().write_conn(), &r.id, method).await? {
        return Err(Error::Conflict("the withdrawal was already sent".into()));
    }
    let amount_text = amount.to_string();
    let p =
        Payout { reference: &r.id, currency: &r.currency, amount: &amount_text, address: &address };
    let sent = client.send(&app.services().http, &base, &provider.key_values, &p).await;
    let tx = app.db().begin_write().await?;
    match &sent {
        Ok(reference) => requests::finish_payout(&tx, &r.id, Some(reference)).await?,
        Err(_) => requests::finish_payout(&tx, &r.id, None).await?,
    }
    let outcome = match &sent {
        Ok(reference) => format!("sent as {reference}"),
        Err(_) => "failed".to_owned(),
    };
    let entry = Audit::new("withdrawal.transfer", "transaction", r.id.clone()).details(format!(
        "payout of withdrawal {} ({amount} {}) through {method} to {address}: {outcome}",
        r.id, r.currency
    ));
    audit::record(&tx, Some(actor), entry).await?;
    let view = views::one(&tx, &r.id).await?;
    brokercrm_store::db::commit(tx).await?;
    sent?;
    view.ok_or_else(|| Error::internal("withdrawal view missing"))
}
