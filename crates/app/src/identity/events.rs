//! What identity publishes on the in-transaction event hook (`platform::events`): partners
//! attribute a new customer to its introducer without identity knowing.

use brokercrm_store::repo::identity::users::UserRow;

use crate::platform::events::Event;

/// A customer signed up (the public form, or staff on their behalf), inside the transaction
/// that inserted it. `referrer` is the form's `wtreferrer` (a referral or promotion code).
pub struct CustomerSignedUp {
    pub user: UserRow,
    pub referrer: Option<String>,
}

impl Event for CustomerSignedUp {}
