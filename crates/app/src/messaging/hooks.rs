//! The product's events that send e-mail templates: a sign-up (identity), a deposit posted
//! and a withdrawal decided (money), a KYC decision (onboarding). Each subscriber queues one
//! trigger job in the publisher's transaction when the trigger has an enabled template.

use brokercrm_core::messaging::triggers::Trigger;
use brokercrm_core::onboarding::kyc::KycStatus;
use brokercrm_store::DatabaseTransaction;

use super::delivery::{on_event, on_events};
use super::render::Vars;
use crate::identity::events::SigningUp;
use crate::money::events::{DepositPosted, WithdrawalDecided};
use crate::onboarding::kyc::KycDecided;
use crate::platform::events::Reaction;

fn money_vars(amount: String, currency: &str, wallet: i64) -> Vars {
    [("amount", amount), ("currency", currency.to_owned()), ("walletId", wallet.to_string())]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect()
}

/// Subscriber to identity's [`SigningUp`].
pub fn on_signing_up<'a>(tx: &'a DatabaseTransaction, e: &'a SigningUp) -> Reaction<'a> {
    Box::pin(async move {
        on_event(tx, Trigger::SignUp, e.user.id, format!("signup:{}", e.user.id), Vars::new()).await
    })
}

/// Subscriber to money's [`DepositPosted`], a batch at a time (the templates read once).
pub fn on_deposits_posted<'a>(
    tx: &'a DatabaseTransaction,
    es: &'a [DepositPosted],
) -> Reaction<'a> {
    Box::pin(async move {
        let events = es
            .iter()
            .map(|e| {
                let vars = money_vars(e.amount.to_string(), e.currency.as_str(), e.wallet.id);
                (e.customer_id, format!("deposit:{}", e.transfer), vars)
            })
            .collect();
        on_events(tx, Trigger::DepositPosted, events).await
    })
}

/// Subscriber to money's [`WithdrawalDecided`].
pub fn on_withdrawal_decided<'a>(
    tx: &'a DatabaseTransaction,
    e: &'a WithdrawalDecided,
) -> Reaction<'a> {
    Box::pin(async move {
        let (trigger, what) = if e.approved {
            (Trigger::WithdrawalApproved, "approved")
        } else {
            (Trigger::WithdrawalRejected, "rejected")
        };
        let vars = money_vars(e.amount.to_string(), &e.currency, e.wallet_id);
        on_event(tx, trigger, e.customer_id, format!("withdrawal:{}:{what}", e.id), vars).await
    })
}

/// Subscriber to onboarding's [`KycDecided`]: approvals and rejections (a reset or a
/// revocation sends nothing).
pub fn on_kyc_decided<'a>(tx: &'a DatabaseTransaction, e: &'a KycDecided) -> Reaction<'a> {
    Box::pin(async move {
        let trigger = match e.after {
            KycStatus::Approved => Trigger::KycApproved,
            KycStatus::Rejected => Trigger::KycRejected,
            KycStatus::Retry => Trigger::KycRetry,
            _ => return Ok(()),
        };
        // Decisions repeat (approve, revoke, approve): each is its own event.
        let key = format!(
            "kyc:{}:{}:{}",
            e.customer.id,
            e.after.as_str(),
            e.customer.updated_at.timestamp_micros()
        );
        on_event(tx, trigger, e.customer.id, key, Vars::new()).await
    })
}
