//! What partners publish on the in-transaction event hook (`platform::events`).

use brokercrm_core::Money;

use crate::platform::events::Event;

/// Staff approved or rejected an introducer's payout request, inside the decision's
/// transaction (published once per request: a decision is final). Messaging may notify the
/// introducer.
#[derive(Debug, Clone)]
pub struct PayoutDecided {
    pub id: i64,
    pub introducer_id: i64,
    pub approved: bool,
    pub payout_wallet_id: i64,
    pub amount: Money,
    pub currency: String,
    /// The reason given for a rejection.
    pub reason: Option<String>,
}

impl Event for PayoutDecided {}
