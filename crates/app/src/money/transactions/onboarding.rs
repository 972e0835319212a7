//! The onboarding gate of a customer's own money movements: with the setting `kyc.required`
//! on, a withdrawal needs the customer's KYC approved and e-mail confirmed; with
//! `kyc.required_for_deposits` on, a deposit needs the same. Both are off by default. What
//! is missing is named in a 403 (`Error::Unmet`, details `missing`).

use brokercrm_core::money::payments::missing_onboarding;
use brokercrm_core::{Error, Result};

use crate::identity::users::{KYC_APPROVED, current_user};
use crate::platform::settings::{self, keys};
use crate::{App, Principal};

/// Which movement is gated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Movement {
    Deposit,
    Withdrawal,
}

/// Refuses `movement` for `actor` when its setting is on and onboarding steps are missing.
pub(crate) async fn require_onboarded(
    app: &App,
    actor: &Principal,
    movement: Movement,
) -> Result<()> {
    let key = match movement {
        Movement::Deposit => keys::KYC_REQUIRED_FOR_DEPOSITS_KEY,
        Movement::Withdrawal => keys::KYC_REQUIRED_KEY,
    };
    if !settings::flag(app, key).await? {
        return Ok(());
    }
    let user = current_user(app, actor).await?;
    let missing = missing_onboarding(user.kyc_status == KYC_APPROVED, user.confirmed_at.is_some());
    if missing.is_empty() { Ok(()) } else { Err(Error::Unmet(missing)) }
}
