//! "Impersonate a customer": staff with `ImpersonateCustomer` get an access token acting as a
//! customer in their scope, marked with their own id (`Principal::impersonated_by`, the
//! token's `imp` claim). The scope rule is sales' (desks and assignments sit above identity):
//! identity publishes [`ImpersonationRequested`] in its transaction and sales' subscriber
//! refuses a customer out of the caller's scope with the same `NotFound` as an unknown one.
//! Every write made with an impersonation token is audited under the impersonator's id
//! ([`audit_write`]); what such a token may not do is refused by
//! `Principal::forbid_impersonation`.

use brokercrm_core::identity::auth::{Permission, Role};
use brokercrm_core::{Error, Result};
use brokercrm_store::db::commit;
use brokercrm_store::repo::identity::users::{self, UserRow};

use crate::identity::tokens;
use crate::platform::audit::{self, Audit};
use crate::platform::events::Event;
use crate::{App, Principal};

/// Published inside the impersonation's transaction before the token is issued; a subscriber
/// that fails (customer out of the actor's scope) refuses the impersonation.
pub struct ImpersonationRequested {
    pub actor: Principal,
    pub customer: UserRow,
}

impl Event for ImpersonationRequested {}

/// Issues an access token (no refresh token) acting as the customer `customer_id` (public id
/// or numeric account id); audited. Unknown users, non-customers and customers out of the
/// caller's scope are all `NotFound("customer")`.
pub async fn impersonate(
    app: &App,
    actor: &Principal,
    customer_id: &str,
) -> Result<(UserRow, String)> {
    actor.require(Permission::ImpersonateCustomer)?;
    actor.forbid_impersonation("impersonate another customer")?;
    let id = customer_id.trim();
    if id.is_empty() {
        return Err(Error::field("customerId", "is required"));
    }
    // Fail closed: without the scope rule registered nobody impersonates.
    if app.events().subscribers::<ImpersonationRequested>() == 0 {
        return Err(Error::internal("no customer scope check is registered for impersonation"));
    }
    let tx = app.db().begin_write().await?;
    let target = match id.parse::<i64>() {
        Ok(n) => users::find_by_id(&tx, n).await?,
        Err(_) => users::find_by_uuid(&tx, id).await?,
    }
    .filter(|u| u.role == Role::Customer.as_str())
    .ok_or(Error::NotFound("customer"))?;
    let event = ImpersonationRequested { actor: actor.clone(), customer: target };
    app.events().publish(&tx, &event).await?;
    let target = event.customer;
    if target.status != users::ACTIVE {
        return Err(Error::field("customerId", "the customer's account is disabled"));
    }
    let token = tokens::access_token(app, &target, Some(actor.user_id))?;
    audit::record(
        &tx,
        Some(actor),
        Audit::new("customer.impersonate", "user", target.uuid.clone())
            .details(format!("{} impersonated customer {}", actor.email, target.email)),
    )
    .await?;
    commit(tx).await?;
    Ok((target, token))
}

/// Records a write (`method` `path`) made with an impersonation token, under the impersonator's
/// id, before it runs; nothing for other principals.
pub async fn audit_write(app: &App, who: &Principal, method: &str, path: &str) -> Result<()> {
    let Some(staff) = who.impersonated_by else { return Ok(()) };
    audit::record(
        app.db().conn(),
        Some(who),
        Audit::new("impersonation.write", "user", who.user_uuid.clone()).details(format!(
            "staff user {staff} acting as customer {}: {method} {path}",
            who.email
        )),
    )
    .await
}
