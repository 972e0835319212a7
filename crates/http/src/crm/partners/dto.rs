//! Wire shapes of the commission ledger and payout requests (seed tag Commissions): amounts
//! as JSON numbers, people by public id with their e-mail and name.

use brokercrm_app::partners::ledger::RecordView;
use brokercrm_app::partners::payouts::PayoutView;
use brokercrm_core::Money;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::crm::money::bonuses::number;

fn num(m: Money) -> f64 {
    number(&m.to_string())
}

/// A user named in a record or request.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PartnerPersonDto {
    pub id: String,
    pub email: String,
    pub firstname: Option<String>,
    pub lastname: Option<String>,
}

impl From<brokercrm_app::partners::Person> for PartnerPersonDto {
    fn from(p: brokercrm_app::partners::Person) -> Self {
        Self { id: p.id, email: p.email, firstname: p.firstname, lastname: p.lastname }
    }
}

/// A commission ledger record: what one event earned one introducer at one level.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CommissionLedgerDto {
    pub id: i64,
    pub introducer_id: Option<String>,
    pub introducer: Option<PartnerPersonDto>,
    /// The referred client whose action earned it.
    pub referral_id: Option<String>,
    pub referral: Option<PartnerPersonDto>,
    /// 1 = the client's own introducer, 2 = its introducer, ...
    pub level: i16,
    /// `CPA`, `LOT` or `REVENUE_SHARE`.
    #[schema(example = "CPA")]
    pub commission_type: String,
    /// `FTD` or `POSITION_CLOSED`.
    #[schema(example = "FTD")]
    pub action_type: String,
    pub action_details: String,
    pub commission_amount: f64,
    /// The amount in force after an admin correction (`null`: none).
    pub corrected_commission_amount: Option<f64>,
    #[schema(example = "USD")]
    pub currency: String,
    pub action_timestamp: DateTime<Utc>,
    pub payout_at: Option<DateTime<Utc>>,
    /// `PENDING` until paid out, then `PAIDOUT`.
    pub status: String,
    /// The ledger transfer that posted it.
    pub transfer_id: String,
    pub updated_at: DateTime<Utc>,
    pub admin_comments: Option<String>,
    pub created_at: DateTime<Utc>,
    pub admin_id: Option<String>,
    pub admin: Option<PartnerPersonDto>,
}

impl From<RecordView> for CommissionLedgerDto {
    fn from(v: RecordView) -> Self {
        Self {
            id: v.id,
            introducer_id: v.introducer.as_ref().map(|p| p.id.clone()),
            introducer: v.introducer.map(Into::into),
            referral_id: v.referral.as_ref().map(|p| p.id.clone()),
            referral: v.referral.map(Into::into),
            level: v.level,
            commission_type: v.commission_type,
            action_type: v.action_type,
            action_details: v.action_details,
            commission_amount: num(v.commission_amount),
            corrected_commission_amount: v.corrected_commission_amount.map(num),
            currency: v.currency,
            action_timestamp: v.action_timestamp,
            payout_at: v.payout_at,
            status: v.status.to_owned(),
            transfer_id: v.transfer_id,
            updated_at: v.updated_at,
            admin_comments: v.admin_comments,
            created_at: v.created_at,
            admin_id: v.admin.as_ref().map(|p| p.id.clone()),
            admin: v.admin.map(Into::into),
        }
    }
}

/// The wallet a payout goes to.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PayoutWalletDto {
    pub id: i64,
    pub currency: String,
}

/// The wallet transaction an approved payout posted.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PayoutTransactionDto {
    pub id: String,
    /// `COMMISSION_PAYOUT`.
    #[serde(rename = "type")]
    pub kind: String,
    pub amount: f64,
    pub currency: String,
}

/// A payout request.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PayoutRequestDto {
    pub id: i64,
    pub introducer_id: Option<String>,
    pub introducer: Option<PartnerPersonDto>,
    pub payout_wallet_id: i64,
    pub payout_wallet: PayoutWalletDto,
    /// The whole available commission when requested.
    pub amount: f64,
    pub currency: String,
    /// `PENDING`, `APPROVED` or `REJECTED`.
    pub status: String,
    pub requested_at: DateTime<Utc>,
    pub approved_at: Option<DateTime<Utc>>,
    pub rejected_at: Option<DateTime<Utc>>,
    pub reject_reason: Option<String>,
    pub updated_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
    pub transaction_id: Option<String>,
    pub transaction: Option<PayoutTransactionDto>,
    pub admin_id: Option<String>,
    pub admin: Option<PartnerPersonDto>,
}

impl From<PayoutView> for PayoutRequestDto {
    fn from(v: PayoutView) -> Self {
        let amount = num(v.amount);
        Self {
            id: v.id,
            introducer_id: v.introducer.as_ref().map(|p| p.id.clone()),
            introducer: v.introducer.map(Into::into),
            payout_wallet_id: v.payout_wallet_id,
            payout_wallet: PayoutWalletDto { id: v.payout_wallet_id, currency: v.currency.clone() },
            amount,
            currency: v.currency.clone(),
            status: v.status,
            requested_at: v.requested_at,
            approved_at: v.approved_at,
            rejected_at: v.rejected_at,
            reject_reason: v.reject_reason,
            updated_at: v.updated_at,
            created_at: v.created_at,
            transaction: v.transaction_id.as_ref().map(|id| PayoutTransactionDto {
                id: id.clone(),
                kind: "COMMISSION_PAYOUT".into(),
                amount,
                currency: v.currency,
            }),
            transaction_id: v.transaction_id,
            admin_id: v.admin.as_ref().map(|p| p.id.clone()),
            admin: v.admin.map(Into::into),
        }
    }
}

/// `limit`, `offset` and the order of the seed's list operations.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(rename_all = "camelCase")]
pub struct ListQuery {
    /// Rows to return (default 100, at most 500).
    pub limit: Option<u64>,
    /// Rows to skip.
    pub offset: Option<u64>,
    /// `ASC` or `DESC` (by id; default `DESC`).
    pub order: Option<String>,
    /// Same as `order` (the admin ledger list's name for it).
    pub order_by: Option<String>,
    /// Statuses to show (payouts: PENDING, APPROVED, REJECTED; records: PENDING, PAIDOUT).
    pub statuses: Option<Vec<String>>,
}

impl ListQuery {
    /// The page asked for; a bad order is named.
    pub fn page(&self) -> brokercrm_core::Result<brokercrm_app::partners::ledger::Page> {
        let order = self.order.as_deref().or(self.order_by.as_deref()).unwrap_or("DESC");
        let newest_first = match order.trim().to_ascii_uppercase().as_str() {
            "DESC" => true,
            "ASC" => false,
            _ => {
                let field = if self.order.is_some() { "order" } else { "orderBy" };
                return Err(brokercrm_core::Error::field(field, "must be ASC or DESC"));
            }
        };
        Ok(brokercrm_app::partners::ledger::Page {
            offset: self.offset.unwrap_or(0),
            limit: self.limit.unwrap_or(100).clamp(1, 500),
            newest_first,
        })
    }
}
