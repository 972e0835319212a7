//! KYC for the client: its status ("Get KYC status", "Get user's KYC status"), whether
//! SumSub is configured ("Get SumSub enabled status") and an access token for SumSub's SDK
//! ("Get user's SumSub token": the applicant is the customer's public id at the configured
//! level, created by SumSub on first use). [`KycDecided`] is published whenever a decision
//! changes a customer's KYC status.

use brokercrm_core::identity::auth::Role;
use brokercrm_core::onboarding::kyc::KycStatus;
use brokercrm_core::{Error, Result};
use brokercrm_integrations::sumsub::SumsubClient;
use brokercrm_store::repo::identity::users::UserRow;
use brokercrm_store::repo::onboarding::kyc as repo;

use crate::identity::users::current_user;
use crate::platform::events::Event;
use crate::platform::settings::providers;
use crate::{App, Principal};

/// Lifetime asked for an SDK access token, in seconds.
pub const SDK_TOKEN_TTL_SECS: u64 = 600;

/// A customer's KYC status changed by a decision (a reviewer's, or SumSub's review).
#[derive(Debug)]
pub struct KycDecided {
    pub customer: UserRow,
    pub before: KycStatus,
    pub after: KycStatus,
    /// Why, when a reviewer rejected or asked for a new attempt (the `reason` of the
    /// `kyc.rejected` and `kyc.retry` e-mails).
    pub reason: Option<String>,
}
impl Event for KycDecided {}

/// The caller's KYC status, as on the wire (`NONE`, `PENDING`, `APPROVED`, ...).
pub async fn status(app: &App, who: &Principal) -> Result<&'static str> {
    let me = current_user(app, who).await?;
    Ok(KycStatus::stored(&me.kyc_status).wire())
}

/// Whether SumSub is configured.
pub async fn sumsub_enabled(app: &App) -> Result<bool> {
    Ok(providers::sumsub(app).await?.is_some())
}

/// An SDK access token for the calling customer.
pub async fn sumsub_token(app: &App, who: &Principal) -> Result<String> {
    let me = current_user(app, who).await?;
    if me.role != Role::Customer.as_str() {
        return Err(Error::Refused("only customers are verified through SumSub".into()));
    }
    let cfg = providers::sumsub(app)
        .await?
        .ok_or_else(|| Error::Conflict("SumSub is not configured".into()))?;
    let client = SumsubClient {
        base_url: cfg.api_url,
        app_token: cfg.app_token,
        secret_key: cfg.secret_key,
    };
    let now = app.services().clock.now().timestamp();
    let token = client
        .access_token(&app.services().http, &me.uuid, &cfg.level_name, SDK_TOKEN_TTL_SECS, now)
        .await?;
    if repo::applicant(app.db().conn(), me.id).await?.is_none() {
        let row = repo::ApplicantRow {
            user_id: me.id,
            applicant_id: None,
            last_event_at: None,
            review_answer: None,
            reject_type: None,
            updated_at: brokercrm_store::db::now(),
        };
        repo::save_applicant(app.db().conn(), row).await?;
    }
    Ok(token)
}

/// Where a customer stands with SumSub, for a reviewer.
#[derive(Debug, Clone, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SumsubState {
    /// SumSub's applicant id, once a webhook named it.
    pub applicant_id: Option<String>,
    /// The last review applied (`GREEN`, `RED`).
    pub review_answer: Option<String>,
    /// With `RED`: `FINAL` or `RETRY`.
    pub reject_type: Option<String>,
    /// When the last applied event was created at SumSub.
    pub last_event_at: Option<chrono::DateTime<chrono::Utc>>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

/// The SumSub state of customer `user_id` (`None`: never started with SumSub). The caller
/// checks that the customer may be seen (`sales::customers::kyc::sumsub`).
pub async fn sumsub_state<C: brokercrm_store::ConnectionTrait>(
    conn: &C,
    user_id: i64,
) -> Result<Option<SumsubState>> {
    Ok(repo::applicant(conn, user_id).await?.map(|a| SumsubState {
        applicant_id: a.applicant_id,
        review_answer: a.review_answer,
        reject_type: a.reject_type,
        last_event_at: a.last_event_at,
        updated_at: a.updated_at,
    }))
}
