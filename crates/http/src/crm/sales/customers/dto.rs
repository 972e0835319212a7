//! The customer DTO of "Customers - Admin APIs" (the seed's customer shape), generated from
//! `app::customers::CustomerView` field by field.

use std::collections::HashMap;

use brokercrm_app::sales::Person;
use brokercrm_app::sales::customers::views::{CustomerView, DeskRef, GroupRef};
use brokercrm_core::Money;
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

/// A sales desk next to a customer.
#[derive(Debug, Serialize, ToSchema)]
pub struct DeskDto {
    /// Public id of the desk.
    pub id: String,
    pub name: String,
}

/// A trading group next to a customer.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = CustomerGroupDto)]
pub struct GroupDto {
    pub id: i64,
    pub name: String,
}

/// A customer (seed 002). Fields owned by later issues are 0 or null, as documented.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CustomerDto {
    /// Public id (UUID).
    pub id: String,
    /// Loyalty level (0 until loyalty levels exist).
    pub level: i64,
    /// Numeric account id, as a string.
    pub account_id: String,
    pub name: String,
    pub firstname: Option<String>,
    pub lastname: Option<String>,
    pub email: String,
    pub mobilenumber: Option<String>,
    /// Currency of `depositTotal` and `withdrawalTotal` (the customer's currency, else USD).
    pub currency: String,
    /// Posted deposits into the customer's wallets in `currency` (decimal string).
    #[schema(value_type = String)]
    pub deposit_total: Money,
    /// Posted deposits in every currency.
    pub deposit_count: i64,
    /// Posted deposits per currency.
    #[schema(value_type = HashMap<String, String>)]
    pub deposit_totals: HashMap<String, Money>,
    /// 0 until coins exist.
    pub total_coins_earned: i64,
    pub country: Option<String>,
    pub country_name: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// `ACTIVE` or `DISABLED`.
    pub status: String,
    pub app_installed_at: Option<DateTime<Utc>>,
    pub last_login_date: Option<DateTime<Utc>>,
    /// Not tracked yet (null).
    pub total_logins: Option<i64>,
    pub notes: Option<String>,
    /// `customer`, plus `leader` when the customer wants to become a copy-trading leader.
    pub roles: Vec<String>,
    /// `email`, and `phone` when a mobile number is known.
    pub available_contact_methods: Vec<String>,
    /// 0 until IB referrals exist.
    pub total_referrals: i64,
    /// Documents uploaded (single-customer answers; 0 in lists).
    pub document_count: i64,
    /// `NONE`, `PENDING`, `APPROVED` or `REVOKED`.
    pub kyc_status: String,
    pub kyc_reviewed_by_id: Option<String>,
    pub kyc_reviewed_by_name: Option<String>,
    pub kyc_reviewed_at: Option<DateTime<Utc>>,
    /// Public id of the referring affiliate.
    pub affiliate_id: Option<String>,
    /// The referring affiliate's id for this customer.
    pub external_id: Option<String>,
    /// `wtreferrer` given at sign-up.
    pub referrer: Option<String>,
    #[schema(value_type = Option<Person>)]
    pub conversion_agent: Option<Person>,
    #[schema(value_type = Option<Person>)]
    pub retention_agent: Option<Person>,
    #[schema(value_type = Option<DeskDto>)]
    pub sales_desk: Option<DeskRef>,
    pub sales_status_id: Option<i64>,
    pub sales_status_name: Option<String>,
    /// Null until trading exists.
    pub last_trading_activity_date: Option<DateTime<Utc>>,
    /// 0 until trading exists.
    pub total_volume_traded: i64,
    /// 0 until trading exists.
    pub trade_volume_last_week: i64,
    /// 0 until trading exists.
    pub trade_volume_open: i64,
    pub confirmed_at: Option<DateTime<Utc>>,
    /// Null until commissions exist.
    #[schema(value_type = Option<Object>)]
    pub commission_scheme: Option<serde_json::Value>,
    pub communication_language: Option<String>,
    /// Whether the caller bookmarked this customer.
    pub is_bookmarked: bool,
    /// Null until commissions exist.
    pub affiliate_balance: Option<String>,
    /// 0 until trading exists.
    pub positions_count: i64,
    /// Whether any deposit posted.
    #[serde(rename = "hasFTD")]
    pub has_ftd: bool,
    /// Last login.
    pub last_active: Option<DateTime<Utc>>,
    /// `LOW`, `MEDIUM`, `HIGH` or `REVIEW`.
    pub risk_status: Option<String>,
    pub source: Option<String>,
    /// Posted withdrawals in `currency` (decimal string).
    #[schema(value_type = String)]
    pub withdrawal_total: Money,
    pub last_deposit_date: Option<DateTime<Utc>>,
    /// Newest comment (single-customer answers; null in lists).
    pub last_comment_date: Option<DateTime<Utc>>,
    /// Newest call, e-mail or SMS (single-customer answers; null in lists).
    pub last_contact_date: Option<DateTime<Utc>>,
    /// 0 until commissions exist.
    pub commissions_granted: i64,
    /// 0 until commissions exist.
    pub commissions_earned: i64,
    /// Null until SumSub is connected.
    #[schema(value_type = Option<Object>)]
    pub sum_sub_details: Option<serde_json::Value>,
    pub termination_requested_at: Option<DateTime<Utc>>,
    /// Trading groups the customer is placed in.
    #[schema(value_type = Vec<GroupDto>)]
    pub groups: Vec<GroupRef>,
}

impl From<CustomerView> for CustomerDto {
    fn from(c: CustomerView) -> Self {
        Self {
            id: c.id,
            level: c.level,
            account_id: c.account_id,
            name: c.name,
            firstname: c.firstname,
            lastname: c.lastname,
            email: c.email,
            mobilenumber: c.mobilenumber,
            currency: c.currency,
            deposit_total: c.deposit_total,
            deposit_count: c.deposit_count,
            deposit_totals: c.deposit_totals,
            total_coins_earned: c.total_coins_earned,
            country: c.country,
            country_name: c.country_name,
            created_at: c.created_at,
            updated_at: c.updated_at,
            status: c.status,
            app_installed_at: c.app_installed_at,
            last_login_date: c.last_login_date,
            total_logins: c.total_logins,
            notes: c.notes,
            roles: c.roles,
            available_contact_methods: c.available_contact_methods,
            total_referrals: c.total_referrals,
            document_count: c.document_count,
            kyc_status: c.kyc_status,
            kyc_reviewed_by_id: c.kyc_reviewed_by_id,
            kyc_reviewed_by_name: c.kyc_reviewed_by_name,
            kyc_reviewed_at: c.kyc_reviewed_at,
            affiliate_id: c.affiliate_id,
            external_id: c.external_id,
            referrer: c.referrer,
            conversion_agent: c.conversion_agent,
            retention_agent: c.retention_agent,
            sales_desk: c.sales_desk,
            sales_status_id: c.sales_status_id,
            sales_status_name: c.sales_status_name,
            last_trading_activity_date: c.last_trading_activity_date,
            total_volume_traded: c.total_volume_traded,
            trade_volume_last_week: c.trade_volume_last_week,
            trade_volume_open: c.trade_volume_open,
            confirmed_at: c.confirmed_at,
            commission_scheme: c.commission_scheme,
            communication_language: c.communication_language,
            is_bookmarked: c.is_bookmarked,
            affiliate_balance: c.affiliate_balance,
            positions_count: c.positions_count,
            has_ftd: c.has_ftd,
            last_active: c.last_active,
            risk_status: c.risk_status,
            source: c.source,
            withdrawal_total: c.withdrawal_total,
            last_deposit_date: c.last_deposit_date,
            last_comment_date: c.last_comment_date,
            last_contact_date: c.last_contact_date,
            commissions_granted: c.commissions_granted,
            commissions_earned: c.commissions_earned,
            sum_sub_details: c.sum_sub_details,
            termination_requested_at: c.termination_requested_at,
            groups: c.groups,
        }
    }
}
