//! First-time deposits: when a customer who came in as a distribution lead deposits, the
//! lead's affiliate gets its "FTD" conversion — once per lead, however many deposits follow
//! (the conversions table is unique per lead and goal type).

use brokercrm_core::Result;
use brokercrm_store::repo::distribution::crm_leads;
use brokercrm_store::repo::distribution::ftd::{self as ftd_repo, SOURCE_CRM};
use brokercrm_store::repo::distribution::goal_types as goal_repo;
use brokercrm_store::repo::distribution::leads as lead_repo;
use brokercrm_store::{ConnectionTrait, DatabaseTransaction};

use super::postback::DEFAULT_GOAL;
use crate::money::events::DepositPosted;
use crate::platform::events::Reaction;

/// Subscriber to money's `DepositPosted`: the deposit may be the customer's lead's FTD.
pub fn on_deposit_posted<'a>(tx: &'a DatabaseTransaction, e: &'a DepositPosted) -> Reaction<'a> {
    Box::pin(async move { record_deposit(tx, e.customer_id).await.map(drop) })
}

/// Records the FTD conversion of the lead `customer_id` came from, in the caller's
/// transaction (the deposit's). True when this deposit was the first to count.
pub async fn record_deposit<C: ConnectionTrait>(conn: &C, customer_id: i64) -> Result<bool> {
    let Some(crm) = crm_leads::find_by_customer(conn, customer_id).await? else {
        return Ok(false);
    };
    let Some(lead) = crm.lead_id else { return Ok(false) };
    let Some(lead) = lead_repo::find_by_id(conn, lead).await? else { return Ok(false) };
    let goal = goal_repo::ensure_system(conn, DEFAULT_GOAL).await?;
    ftd_repo::record(conn, lead.id, goal.id, lead.affiliate_id, SOURCE_CRM).await
}
