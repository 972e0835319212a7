//! Identity's events for the contexts above it: a customer signing up, signing in, or
//! changing the profile. Each is published inside the write transaction, so a subscriber's
//! error (an onboarding rule, say) refuses the whole operation and changes nothing. Partners
//! attribute a new customer to its introducer from [`SigningUp`] without identity knowing.

use brokercrm_store::repo::identity::users::UserRow;

use crate::platform::events::Event;

/// A user has given the right credentials; tokens are issued unless a subscriber refuses.
#[derive(Debug)]
pub struct SigningIn {
    pub user: UserRow,
}
impl Event for SigningIn {}

/// A customer row was just inserted by sign-up (staff's sign-ups included); its `wtreferrer`
/// is the form's referral or promotion code.
#[derive(Debug)]
pub struct SigningUp {
    pub user: UserRow,
    /// Whether staff created the account.
    pub by_staff: bool,
}
impl Event for SigningUp {}

/// The client is changing its own profile: the row before and after the change.
#[derive(Debug)]
pub struct ProfileUpdating {
    pub before: UserRow,
    pub after: UserRow,
}
impl Event for ProfileUpdating {}
