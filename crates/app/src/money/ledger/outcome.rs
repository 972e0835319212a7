//! What a ledger request returns: the stored transfer, typed, and whether it was a replay;
//! and the body hash a replay is compared by.

use brokercrm_core::money::ledger::{TransferCode, TransferId, TransferKind, TransferState};
use brokercrm_core::{Currency, Error, Money, Result};
use brokercrm_store::repo::money::ledger::{Applied, TransferRow};
use sha2::{Digest, Sha256};

/// A stored transfer, typed.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Transfer {
    pub id: TransferId,
    pub debit_account_id: i64,
    pub credit_account_id: i64,
    pub amount: Money,
    pub currency: Currency,
    pub code: TransferCode,
    pub kind: TransferKind,
    pub state: TransferState,
    pub pending_id: Option<TransferId>,
    pub user_data: Option<String>,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

/// The result of a money-moving request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub transfer: Transfer,
    /// The id was already applied with the same body; nothing changed now.
    pub replayed: bool,
}

impl TryFrom<TransferRow> for Transfer {
    type Error = Error;
    fn try_from(r: TransferRow) -> Result<Self> {
        let bad = |e: Error| Error::internal(format!("ledger transfer {}: {e:?}", r.transfer_id));
        Ok(Self {
            id: TransferId::parse("id", &r.transfer_id).map_err(bad)?,
            debit_account_id: r.debit_account_id,
            credit_account_id: r.credit_account_id,
            amount: Money::from_minor(r.amount),
            currency: Currency::parse("currency", &r.currency).map_err(bad)?,
            code: TransferCode::parse("code", &r.code).map_err(bad)?,
            kind: TransferKind::parse("kind", &r.kind).map_err(bad)?,
            state: TransferState::parse("state", &r.state).map_err(bad)?,
            pending_id: r
                .pending_id
                .as_deref()
                .map(|p| TransferId::parse("pendingId", p))
                .transpose()
                .map_err(bad)?,
            user_data: r.user_data,
            created_at: r.created_at,
        })
    }
}

pub(super) fn outcome(a: Applied) -> Result<Outcome> {
    Ok(Outcome { transfer: a.transfer.try_into()?, replayed: a.replayed })
}

/// SHA-256 (hex) of a canonical request body: what a replay is compared by.
pub(crate) fn body_hash(fingerprint: &str) -> String {
    hex::encode(Sha256::digest(fingerprint.as_bytes()))
}
