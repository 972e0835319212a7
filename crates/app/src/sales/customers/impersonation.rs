//! The customer scope applied to "Impersonate a customer": identity publishes
//! `ImpersonationRequested`, and a customer out of the staff member's scope is refused with the
//! same `NotFound` as an unknown one (the scope rule of every customer route).

use brokercrm_store::DatabaseTransaction;

use crate::identity::impersonation::ImpersonationRequested;
use crate::platform::events::Reaction;
use crate::sales::customer_in_scope;

/// Subscriber to identity's `ImpersonationRequested`.
pub fn on_impersonation_requested<'a>(
    tx: &'a DatabaseTransaction,
    e: &'a ImpersonationRequested,
) -> Reaction<'a> {
    Box::pin(async move { customer_in_scope(tx, &e.actor, &e.customer.uuid).await.map(|_| ()) })
}
