//! One event as the accrual job carries it (amounts in minor units of its currency).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// What happened, as the job carries it (amounts in minor units of `currency`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AccrualEvent {
    Deposit {
        customer_id: i64,
        wallet_id: i64,
        transfer_id: String,
        amount: i64,
        currency: String,
        at: DateTime<Utc>,
    },
    PositionClosed {
        customer_id: i64,
        position_id: i64,
        symbol: String,
        lots: i64,
        currency: String,
        realised_pl: i64,
        commission: i64,
        swap: i64,
        transfer_id: String,
        at: DateTime<Utc>,
    },
    /// A deposit was charged back: the CPA it earned is clawed back.
    DepositReversed {
        customer_id: i64,
        /// The deposit's ledger transfer.
        deposit_id: String,
        at: DateTime<Utc>,
    },
}

impl AccrualEvent {
    pub fn customer_id(&self) -> i64 {
        match self {
            Self::Deposit { customer_id, .. }
            | Self::PositionClosed { customer_id, .. }
            | Self::DepositReversed { customer_id, .. } => *customer_id,
        }
    }

    /// What makes the event's job unique: its ledger transfer (a reversal: the deposit's,
    /// marked).
    pub fn key(&self) -> String {
        match self {
            Self::Deposit { transfer_id, .. } | Self::PositionClosed { transfer_id, .. } => {
                transfer_id.clone()
            }
            Self::DepositReversed { deposit_id, .. } => format!("reversed:{deposit_id}"),
        }
    }

    pub fn at(&self) -> DateTime<Utc> {
        match self {
            Self::Deposit { at, .. }
            | Self::PositionClosed { at, .. }
            | Self::DepositReversed { at, .. } => *at,
        }
    }
}

/// The dedup key of the job accruing the event keyed `key` (see [`AccrualEvent::key`]).
pub(super) fn job_key(key: &str) -> String {
    format!("accrue:{key}")
}
