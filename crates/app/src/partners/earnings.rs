//! "Get affiliate earnings": what the calling introducer earned, its commissions in force
//! (corrections applied), all time, in USD.

use brokercrm_core::identity::auth::Permission;
use brokercrm_core::{Money, Result};
use brokercrm_store::repo::partners::commission_records as records;

use crate::{App, Principal};

/// "Get affiliate earnings": the caller's commissions in force (0 for a non-introducer).
pub async fn own(app: &App, actor: &Principal) -> Result<Money> {
    actor.require(Permission::ReadOwnCommissions)?;
    let rows = records::totals(app.db().conn(), Some(actor.user_id), None).await?;
    Ok(Money::from_minor(rows.first().map_or(0, |r| r.2)))
}
