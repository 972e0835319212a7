//! The demo's partners: a promotion-link tenant (seed 004) and its token, and the demo
//! affiliate made an introducer.

use brokercrm_core::Result;
use brokercrm_store::repo::partners::introducers;
use serde::Serialize;

use crate::App;
use crate::partners::promo_links::tenants;

/// The promotion-link API (seed 004): `x-api-tenantId` and `x-api-token`.
#[derive(Debug, Serialize)]
pub struct PromotionLinkCredentials {
    pub tenant_id: String,
    pub token: String,
}

/// Issues a fresh tenant (each run: the token is shown once) and makes the demo affiliate
/// (`affiliate_id`) an introducer.
pub async fn load(app: &App, affiliate_id: Option<i64>) -> Result<PromotionLinkCredentials> {
    let t = tenants::issue_system(app, "demo").await?;
    if let Some(id) = affiliate_id {
        introducers::insert(app.db().conn(), id, None).await?;
    }
    Ok(PromotionLinkCredentials { tenant_id: t.tenant_id, token: t.token })
}
