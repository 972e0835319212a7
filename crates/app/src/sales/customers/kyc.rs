//! "Approve / Revoke / Reset KYC for customer" (ReviewKyc, customer in scope), and a
//! reviewer's rejection — for good, or asking for a new attempt — with a reason (the portal's
//! KYC review; SumSub's review does the same through its webhook). Transitions are
//! `core::customers::KycStatus::after`; a transition that does not apply is a 409. The
//! reviewer and time are recorded on every decision but a reset, which clears them. Audited
//! (with the reason); publishes onboarding's `KycDecided`. A reviewer also reads the
//! customer's SumSub state (`sumsub`).

use brokercrm_core::Result;
use brokercrm_core::identity::auth::Permission;
use brokercrm_core::sales::customers::{KycAction, KycStatus};
use brokercrm_store::db::commit;
use brokercrm_store::repo::identity::users;
use brokercrm_store::repo::sales::customers as repo;

use super::views::{self, CustomerView};
use crate::onboarding::kyc::{KycDecided, SumsubState, sumsub_state};
use crate::platform::audit::{self, Audit};
use crate::sales::customer_in_scope;
use crate::{App, Principal};

/// Longest rejection reason.
const MAX_REASON: usize = 1000;

/// Applies `action` (approve, revoke or reset) to the customer's KYC; returns the customer.
/// A rejection needs a reason: [`reject`].
pub async fn decide(
    app: &App,
    who: &Principal,
    id: &str,
    action: KycAction,
) -> Result<CustomerView> {
    if matches!(action, KycAction::Reject | KycAction::AskRetry) {
        return Err(brokercrm_core::Error::field("reason", "is required"));
    }
    apply(app, who, id, action, None).await
}

/// A reviewer's rejection of the customer's KYC: for good (`retry` false) or asking for a new
/// attempt; `reason` (required, at most 1,000 characters) goes into the audit entry.
pub async fn reject(
    app: &App,
    who: &Principal,
    id: &str,
    retry: bool,
    reason: &str,
) -> Result<CustomerView> {
    who.require(Permission::ReviewKyc)?;
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(brokercrm_core::Error::field("reason", "is required"));
    }
    if reason.chars().count() > MAX_REASON {
        return Err(brokercrm_core::Error::field(
            "reason",
            format!("must be at most {MAX_REASON} characters"),
        ));
    }
    let action = if retry { KycAction::AskRetry } else { KycAction::Reject };
    apply(app, who, id, action, Some(reason)).await
}

async fn apply(
    app: &App,
    who: &Principal,
    id: &str,
    action: KycAction,
    reason: Option<&str>,
) -> Result<CustomerView> {
    who.require(Permission::ReviewKyc)?;
    let tx = app.db().begin_write().await?;
    let customer = customer_in_scope(&tx, who, id).await?;
    let before = KycStatus::stored(&customer.kyc_status);
    let after = before.after(action)?;
    // The status changes only if it is still what was read (a concurrent decision loses).
    let saved = users::set_kyc_status(&tx, customer.id, before.as_str(), after.as_str()).await?;
    let Some(saved) = saved else {
        return Err(brokercrm_core::Error::Conflict("KYC status changed meanwhile; reload".into()));
    };
    let reason_text = reason.map(str::to_owned);
    let decided = KycDecided { customer: saved.clone(), before, after, reason: reason_text };
    app.events().publish(&tx, &decided).await?;
    let mut profile =
        repo::profile(&tx, customer.id).await?.unwrap_or_else(|| repo::empty_profile(customer.id));
    if action == KycAction::Reset {
        profile.kyc_reviewed_by = None;
        profile.kyc_reviewed_at = None;
    } else {
        profile.kyc_reviewed_by = Some(who.impersonated_by.unwrap_or(who.user_id));
        profile.kyc_reviewed_at = Some(brokercrm_store::db::now());
    }
    repo::save_profile(&tx, profile).await?;
    let kind = match action {
        KycAction::Approve => "customer.kyc_approve",
        KycAction::Revoke => "customer.kyc_revoke",
        KycAction::Reset => "customer.kyc_reset",
        KycAction::Reject => "customer.kyc_reject",
        KycAction::AskRetry => "customer.kyc_retry",
    };
    let because = reason.map(|r| format!(" ({r})")).unwrap_or_default();
    audit::record(
        &tx,
        Some(who),
        Audit::new(kind, "customer", saved.uuid.clone())
            .details(format!(
                "KYC of {}: {} -> {}{because}",
                saved.email,
                before.wire(),
                after.wire()
            ))
            .before(&serde_json::json!({ "kycStatus": before.wire() }))
            .after(&serde_json::json!({ "kycStatus": after.wire(), "reason": reason })),
    )
    .await?;
    let view = views::one(&tx, who.user_id, saved).await?;
    commit(tx).await?;
    Ok(view)
}

/// The customer's SumSub state (WorkCustomers, in scope); `None` when SumSub never saw them.
pub async fn sumsub(app: &App, who: &Principal, id: &str) -> Result<Option<SumsubState>> {
    let conn = app.db().conn();
    let customer = customer_in_scope(conn, who, id).await?;
    sumsub_state(conn, customer.id).await
}
