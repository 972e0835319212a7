//! The product's events that send e-mail templates: a sign-up (identity), a deposit posted
//! and a withdrawal decided (money), a KYC decision (onboarding), a margin call and a
//! stop-out (trading), a payout decision (partners). Each subscriber queues one trigger job in
//! the publisher's transaction when the trigger has an enabled template.

use brokercrm_core::messaging::triggers::Trigger;
use brokercrm_core::onboarding::kyc::KycStatus;
use brokercrm_store::DatabaseTransaction;

use super::delivery::{on_event, on_events};
use super::render::Vars;
use crate::identity::events::SigningUp;
use crate::money::events::{DepositPosted, WithdrawalDecided};
use crate::onboarding::kyc::KycDecided;
use crate::partners::events::PayoutDecided;
use crate::platform::events::Reaction;
use crate::trading::events::{MarginCalled, StoppedOut};

fn vars<const N: usize>(pairs: [(&str, String); N]) -> Vars {
    pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()
}

fn money_vars(amount: String, currency: &str, wallet: i64) -> Vars {
    vars([("amount", amount), ("currency", currency.to_owned()), ("walletId", wallet.to_string())])
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
        let mut vars = Vars::new();
        if matches!(trigger, Trigger::KycRejected | Trigger::KycRetry) {
            vars.insert("reason".to_owned(), e.reason.clone().unwrap_or_default());
        }
        on_event(tx, trigger, e.customer.id, key, vars).await
    })
}

/// Subscriber to trading's [`MarginCalled`]: published once per fall, so each is its own
/// notification.
pub fn on_margin_called<'a>(tx: &'a DatabaseTransaction, e: &'a MarginCalled) -> Reaction<'a> {
    Box::pin(async move {
        let level = rust_decimal::Decimal::new(e.margin_level, 2).to_string();
        let vars = vars([
            ("currency", e.currency.as_str().to_owned()),
            ("walletId", e.wallet_id.to_string()),
            ("equity", e.equity.to_string()),
            ("margin", e.margin.to_string()),
            ("marginLevel", level),
        ]);
        let key = format!("margin_call:{}:{}", e.wallet_id, uuid::Uuid::new_v4().simple());
        on_event(tx, Trigger::MarginCall, e.customer_id, key, vars).await
    })
}

/// Subscriber to trading's [`StoppedOut`] (a position closes once, so the first closed names
/// the stop-out).
pub fn on_stopped_out<'a>(tx: &'a DatabaseTransaction, e: &'a StoppedOut) -> Reaction<'a> {
    Box::pin(async move {
        let first = e.positions.first().copied().unwrap_or_default();
        let vars = vars([
            ("currency", e.currency.as_str().to_owned()),
            ("walletId", e.wallet_id.to_string()),
            ("equity", e.equity.to_string()),
            ("positionsClosed", e.positions.len().to_string()),
        ]);
        let key = format!("stop_out:{}:{first}", e.wallet_id);
        on_event(tx, Trigger::StopOut, e.customer_id, key, vars).await
    })
}

/// Subscriber to partners' [`PayoutDecided`] (a decision is final: once per request).
pub fn on_payout_decided<'a>(tx: &'a DatabaseTransaction, e: &'a PayoutDecided) -> Reaction<'a> {
    Box::pin(async move {
        let mut vars = money_vars(e.amount.to_string(), &e.currency, e.payout_wallet_id);
        let trigger = if e.approved {
            Trigger::PayoutApproved
        } else {
            vars.insert("reason".to_owned(), e.reason.clone().unwrap_or_default());
            Trigger::PayoutRejected
        };
        on_event(tx, trigger, e.introducer_id, format!("payout:{}", e.id), vars).await
    })
}
