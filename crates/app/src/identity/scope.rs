//! The caller's customer scope (`core::identity::scope`), resolved from their role and desk,
//! and whether it holds a given customer. Every context that shows or changes a customer's
//! data asks here (sales for customers, money for wallets, transactions and coins), so the
//! rule is resolved in one place.

use brokercrm_core::Result;
use brokercrm_core::identity::auth::Role;
use brokercrm_core::identity::scope::CustomerScope;
use brokercrm_store::ConnectionTrait;
use brokercrm_store::repo::identity::scope::{assignment_of, desk_of};

use crate::Principal;

/// The customer scope of staff member `actor`; `None` for roles that see no customer through
/// the staff API (affiliates, customers). No permission is checked here.
pub async fn customer_scope<C: ConnectionTrait>(
    conn: &C,
    actor: &Principal,
) -> Result<Option<CustomerScope>> {
    let desk = match actor.role {
        Role::Manager | Role::ConversionAgent | Role::RetentionAgent => {
            desk_of(conn, actor.user_id).await?
        }
        _ => None,
    };
    Ok(CustomerScope::of(actor.role, actor.user_id, desk))
}

/// Whether customer `customer_id` is in `scope` (one read for a limited scope).
pub async fn holds<C: ConnectionTrait>(
    conn: &C,
    scope: &CustomerScope,
    customer_id: i64,
) -> Result<bool> {
    match scope {
        CustomerScope::All => Ok(true),
        CustomerScope::Limited { .. } => Ok(scope.allows(&assignment_of(conn, customer_id).await?)),
    }
}
