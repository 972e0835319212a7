//! First-time deposits: when a customer who came in as a distribution lead deposits, the
//! lead's affiliate gets its "FTD" conversion — once per lead, however many deposits follow
//! (the conversions table is unique per lead and goal type).

use brokercrm_core::Result;
use brokercrm_store::repo::distribution::crm_leads::{self, CrmLeadRow};
use brokercrm_store::repo::distribution::ftd::{self as ftd_repo, SOURCE_CRM};
use brokercrm_store::repo::distribution::goal_types as goal_repo;
use brokercrm_store::repo::distribution::leads as lead_repo;
use brokercrm_store::{ConnectionTrait, DatabaseTransaction};

use super::postback::DEFAULT_GOAL;
use crate::money::events::DepositPosted;
use crate::platform::events::Reaction;

/// Subscriber to money's `DepositPosted`, a batch at a time: each deposit may be its
/// customer's lead's FTD. The customers' CRM leads are read once per batch.
pub fn on_deposits_posted<'a>(
    tx: &'a DatabaseTransaction,
    es: &'a [DepositPosted],
) -> Reaction<'a> {
    Box::pin(async move {
        let mut customers: Vec<i64> = es.iter().map(|e| e.customer_id).collect();
        customers.sort_unstable();
        customers.dedup();
        for crm in crm_leads::find_by_customers(tx, &customers).await? {
            record_lead(tx, &crm).await?;
        }
        Ok(())
    })
}

/// Records the FTD conversion of the lead `customer_id` came from, in the caller's
/// transaction (the deposit's). True when this deposit was the first to count.
pub async fn record_deposit<C: ConnectionTrait>(conn: &C, customer_id: i64) -> Result<bool> {
    match crm_leads::find_by_customer(conn, customer_id).await? {
        Some(crm) => record_lead(conn, &crm).await,
        None => Ok(false),
    }
}

/// Records the FTD conversion of the distribution lead behind CRM lead `crm`, if any.
async fn record_lead<C: ConnectionTrait>(conn: &C, crm: &CrmLeadRow) -> Result<bool> {
    let Some(lead) = crm.lead_id else { return Ok(false) };
    let Some(lead) = lead_repo::find_by_id(conn, lead).await? else { return Ok(false) };
    let goal = goal_repo::ensure_system(conn, DEFAULT_GOAL).await?;
    ftd_repo::record(conn, lead.id, goal.id, lead.affiliate_id, SOURCE_CRM).await
}
