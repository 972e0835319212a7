//! Customers (seed 002 tags "Customers - Admin APIs" and "Customers - Affiliate APIs").
//! Staff read customers in their scope (`crm::scope`; out of scope is `NotFound`) and write
//! with ManageCustomers; KYC decisions need ReviewKyc; affiliates (ManageReferrals) see and
//! change only their own referrals. Every write is audited in its transaction.

pub mod affiliate;
pub mod documents;
pub mod email;
pub mod impersonation;
pub mod kyc;
pub mod list;
pub mod views;
pub mod wallet;
pub mod write;

use brokercrm_core::Result;

use crate::sales::customer_in_scope;
use crate::{App, Principal};
pub use views::CustomerView;

/// "Get a specific customer by ID" (WorkCustomers, in scope).
pub async fn get(app: &App, who: &Principal, id: &str) -> Result<CustomerView> {
    let conn = app.db().conn();
    let customer = customer_in_scope(conn, who, id).await?;
    views::one(conn, who.user_id, customer).await
}
