//! Use cases of the Users tag: sign-up, the client's own profile, e-mail and mobile
//! confirmation, the deposit disclaimer, the profile picture, the request to disable an
//! account, and setting a user's status (admin). Shared helpers (current user, onboarding
//! state) live here.

pub mod account;
pub mod avatar;
pub mod confirmation;
pub mod mobile;
pub mod profile;
pub mod signup;
pub mod status;

use brokercrm_core::identity::onboarding_steps::{
    OnboardingState, OnboardingStep, outstanding_steps,
};
use brokercrm_core::{Error, Result};
use brokercrm_store::ConnectionTrait;
use brokercrm_store::repo::identity::users;

/// A stored user, as the use cases hand it to the HTTP layer.
pub use brokercrm_store::repo::identity::users::UserRow;

use crate::{App, Principal};

/// Kept here for the HTTP layer, which links the referral page with it.
pub use crate::platform::links::public_link;

/// Features of the client portal this build supports (`supportedFeatures` of "Get user").
pub const SUPPORTED_FEATURES: &[&str] = &[
    "emailConfirmation",
    "phoneConfirmation",
    "depositDisclaimer",
    "profilePicture",
    "passwordReset",
    "accountDisableRequest",
];

/// KYC status value meaning the customer's documents were approved.
pub const KYC_APPROVED: &str = "approved";

/// The authenticated caller's own user row; `NotFound` for owner-less API keys.
pub async fn current_user(app: &App, who: &Principal) -> Result<UserRow> {
    current_user_in(app.db().conn(), who).await
}

/// As [`current_user`], reading through `conn` (e.g. inside a write transaction).
pub async fn current_user_in<C: ConnectionTrait>(conn: &C, who: &Principal) -> Result<UserRow> {
    if who.user_id == 0 {
        return Err(Error::NotFound("user"));
    }
    users::find_by_id(conn, who.user_id).await?.ok_or(Error::NotFound("user"))
}

/// Onboarding steps the user has skipped (stored as a JSON array of step names).
pub fn skipped_steps(user: &UserRow) -> Vec<OnboardingStep> {
    serde_json::from_str::<Vec<String>>(&user.skip_onboarding_steps)
        .unwrap_or_default()
        .iter()
        .filter_map(|s| OnboardingStep::parse(s))
        .collect()
}

/// Steps a customer still has to complete; empty for other roles.
pub fn outstanding(user: &UserRow) -> Vec<OnboardingStep> {
    if user.role != brokercrm_core::identity::auth::Role::Customer.as_str() {
        return Vec::new();
    }
    outstanding_steps(&OnboardingState {
        email_confirmed: user.confirmed_at.is_some(),
        phone_confirmed: user.phone_confirmed_at.is_some(),
        disclaimer_accepted: user.disclaimer_accepted_at.is_some(),
        kyc_approved: user.kyc_status == KYC_APPROVED,
        profile_complete: [&user.firstname, &user.lastname, &user.mobilenumber, &user.country]
            .iter()
            .all(|f| f.is_some()),
        skipped: skipped_steps(user),
    })
}

/// An ISO 639-1 language code: two ASCII letters, stored lower case.
pub fn language(field: &str, raw: &str) -> Result<String> {
    let s = raw.trim().to_ascii_lowercase();
    if s.len() == 2 && s.chars().all(|c| c.is_ascii_lowercase()) {
        Ok(s)
    } else {
        Err(Error::field(field, "must be an ISO 639-1 two-letter language code"))
    }
}

#[cfg(test)]
mod tests {
    use super::language;

    #[test]
    fn language_codes() {
        assert_eq!(language("l", " EN ").ok().as_deref(), Some("en"));
        for bad in ["", "e", "eng", "e1", "é"] {
            assert!(language("l", bad).is_err(), "{bad}");
        }
    }
}
