//! Roles and permissions. Permission checks happen in `app`; handlers never decide access.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// The role of a user (or of an API key acting for an owner).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Admin,
    Manager,
    ConversionAgent,
    RetentionAgent,
    Risk,
    Support,
    Affiliate,
    Customer,
}

impl Role {
    pub const ALL: [Role; 8] = [
        Role::Admin,
        Role::Manager,
        Role::ConversionAgent,
        Role::RetentionAgent,
        Role::Risk,
        Role::Support,
        Role::Affiliate,
        Role::Customer,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Manager => "manager",
            Role::ConversionAgent => "conversion_agent",
            Role::RetentionAgent => "retention_agent",
            Role::Risk => "risk",
            Role::Support => "support",
            Role::Affiliate => "affiliate",
            Role::Customer => "customer",
        }
    }

    /// Back-office staff (everyone but affiliates and customers).
    pub fn is_staff(self) -> bool {
        !matches!(self, Role::Affiliate | Role::Customer)
    }

    /// What this role may do.
    pub fn permissions(self) -> &'static [Permission] {
        use Permission::*;
        match self {
            Role::Admin => Permission::ALL,
            Role::Manager => &[
                ReadActivities,
                ReadSettings,
                ReadAdapters,
                ImpersonateCustomer,
                WriteActivities,
                ReadLeadDistribution,
                ReadExchangeRates,
                ReadWallets,
                ManageWallets,
                ReadSalesSetup,
                WorkCustomers,
                ReadPaymentProviders,
                ReadTransactions,
                ReadReports,
                ManageCustomers,
                ReadCommissionModels,
                ReadInstruments,
                ReadMarketData,
                ReadPositions,
                ReadCommissions,
                SendMessages,
            ],
            Role::ConversionAgent | Role::RetentionAgent => {
                &[WriteActivities, ReadSalesSetup, WorkCustomers]
            }
            Role::Risk => &[
                ReadActivities,
                ReadAdapters,
                WriteActivities,
                ReadLeadDistribution,
                ReadExchangeRates,
                ReadWallets,
                ReadSalesSetup,
                WorkCustomers,
                ReadPaymentProviders,
                ReadTransactions,
                ManageTransactions,
                ReadReports,
                ReviewKyc,
                ReadCommissionModels,
                ReadInstruments,
                ReadPositions,
                ManagePositions,
                ReadCommissions,
            ],
            Role::Support => &[
                ImpersonateCustomer,
                WriteActivities,
                ReadWallets,
                ReadSalesSetup,
                WorkCustomers,
                ReadMarketData,
                SendMessages,
            ],
            Role::Affiliate => &[ReadOwnEarnings, ManageReferrals, ReadOwnCommissions],
            Role::Customer => &[ReadOwnCommissions],
        }
    }

    pub fn can(self, p: Permission) -> bool {
        self.permissions().contains(&p)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = crate::Error;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| crate::Error::field("role", format!("unknown role '{s}'")))
    }
}

/// A thing a principal may be allowed to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Permission {
    ManageUsers,
    ManageSettings,
    ReadSettings,
    ManageApiKeys,
    ManageOAuthClients,
    ManageCountries,
    ManageAdapters,
    ReadAdapters,
    ReadActivities,
    WriteActivities,
    ImpersonateCustomer,
    ReadOwnEarnings,
    /// Advertisers, offers, rotations, caps, filters, dedup rules, affiliate tokens.
    ManageLeadDistribution,
    /// Distribution leads and their routing traces.
    ReadLeadDistribution,
    /// Create and update exchange rates; create, update and delete conversion paths.
    ManageExchangeRates,
    /// List exchange rates and conversion paths (any signed-in user may get a quote).
    ReadExchangeRates,
    /// Wallets, their balances and transactions; trading groups.
    ReadWallets,
    /// Create wallets, change their group and leverage, enable and disable them.
    ManageWallets,
    /// Manual wallet transactions (deposit, withdrawal, bonus, correction) and transfers
    /// between a customer's wallets.
    ManageWalletMoney,
    /// Create, update and delete trading groups.
    ManageTradingGroups,
    /// Create and change sales statuses and sales desks.
    ManageSalesSetup,
    /// Read sales statuses and sales desks.
    ReadSalesSetup,
    /// Comment on, read the communications of and bookmark customers in one's scope
    /// (`crm::scope`).
    WorkCustomers,
    /// Configure payment providers: key values, limits, countries, order.
    ManagePaymentProviders,
    /// List payment providers and their filters (secrets masked).
    ReadPaymentProviders,
    /// List, read and export transactions (ledger transfers of wallets with their payment
    /// requests).
    ReadTransactions,
    /// Approve, reject and refund withdrawals; send approved ones through a transfer method.
    ManageTransactions,
    /// Read and export the financial reports (profit/loss, balance, coins).
    ReadReports,
    /// Create customers, change their details, groups, assignment and risk status (the
    /// customer must still be in the caller's scope).
    ManageCustomers,
    /// Approve, revoke and reset a customer's KYC.
    ReviewKyc,
    /// An affiliate's own referrals: create, list, update, export (`/api/affiliates/...`).
    ManageReferrals,
    /// List the IB commission models.
    ReadCommissionModels,
    /// Create, change and delete IB commission models.
    ManageCommissionModels,
    /// The commission ledger, payout requests, introducers and their trees (read).
    ReadCommissions,
    /// Correct commission records, approve and reject payouts, make introducers and assign
    /// customers to them, issue promotion-link tenant tokens.
    ManageCommissions,
    /// An introducer's own commission records, payout requests and links (the user must be
    /// an introducer; others are 404).
    ReadOwnCommissions,
    /// List, read and export instruments.
    ReadInstruments,
    /// Create, change, sort and delete instruments; set a manual quote.
    ManageInstruments,
    /// Push price ticks (a price provider's API key).
    PushPrices,
    /// List, read and export customers' positions and orders (risk figures).
    ReadPositions,
    /// Open, close and correct positions on customers' wallets (price overrides, open/close
    /// price and commission corrections); update and cancel their orders. Audited.
    ManagePositions,
    /// Market data: list applications (never their keys), feeds, accounts and their
    /// subscriptions, agreements and history.
    ReadMarketData,
    /// Market data: create, change and revoke applications; create, change and delete feeds.
    ManageMarketData,
    /// Onboarding: the stage of each step and the customer fields of each form.
    ManageOnboarding,
    /// E-mail templates: create, change, delete, send a test.
    ManageEmailTemplates,
    /// Inbox messages: send to one, several or all customers and to trading groups.
    SendMessages,
}

impl Permission {
    pub const ALL: &'static [Permission] = &[
        Permission::ManageUsers,
        Permission::ManageSettings,
        Permission::ReadSettings,
        Permission::ManageApiKeys,
        Permission::ManageOAuthClients,
        Permission::ManageCountries,
        Permission::ManageAdapters,
        Permission::ReadAdapters,
        Permission::ReadActivities,
        Permission::WriteActivities,
        Permission::ImpersonateCustomer,
        Permission::ReadOwnEarnings,
        Permission::ManageLeadDistribution,
        Permission::ReadLeadDistribution,
        Permission::ManageExchangeRates,
        Permission::ReadExchangeRates,
        Permission::ReadWallets,
        Permission::ManageWallets,
        Permission::ManageWalletMoney,
        Permission::ManageTradingGroups,
        Permission::ManageSalesSetup,
        Permission::ReadSalesSetup,
        Permission::WorkCustomers,
        Permission::ManagePaymentProviders,
        Permission::ReadPaymentProviders,
        Permission::ReadTransactions,
        Permission::ManageTransactions,
        Permission::ReadReports,
        Permission::ManageCustomers,
        Permission::ReviewKyc,
        Permission::ManageReferrals,
        Permission::ReadCommissionModels,
        Permission::ManageCommissionModels,
        Permission::ReadCommissions,
        Permission::ManageCommissions,
        Permission::ReadOwnCommissions,
        Permission::ReadInstruments,
        Permission::ManageInstruments,
        Permission::PushPrices,
        Permission::ReadMarketData,
        Permission::ManageMarketData,
        Permission::ReadPositions,
        Permission::ManagePositions,
        Permission::ManageOnboarding,
        Permission::ManageEmailTemplates,
        Permission::SendMessages,
    ];
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_round_trip_and_admin_can_everything() {
        for r in Role::ALL {
            assert_eq!(r.as_str().parse::<Role>().ok(), Some(r));
        }
        assert!(Permission::ALL.iter().all(|p| Role::Admin.can(*p)));
        assert!(!Role::Customer.can(Permission::ManageSettings));
        assert!("root".parse::<Role>().is_err());
    }
}
