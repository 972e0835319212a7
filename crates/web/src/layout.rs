//! The frame of every page: title, the menu of the screens the role may open, the user, the
//! logout form with its CSRF token and the asset URLs. The menu only hides what the role
//! cannot open; each screen's `app` use case is what refuses it.

use brokercrm_core::Permission;
use brokercrm_core::identity::auth::Role;
use serde::Deserialize;

use crate::session::Staff;

/// A screen in the menu: label, URL, key (marks the current one) and what the role needs.
pub struct Screen {
    pub label: &'static str,
    pub href: &'static str,
    pub key: &'static str,
    /// `None`: every staff member.
    pub needs: Option<Permission>,
}

/// The screens, in menu order.
pub const SCREENS: &[Screen] = &[
    Screen { label: "Dashboard", href: "/admin", key: "dashboard", needs: None },
    Screen {
        label: "Leads",
        href: "/admin/leads",
        key: "leads",
        needs: Some(Permission::WorkCustomers),
    },
    Screen {
        label: "Customers",
        href: "/admin/customers",
        key: "customers",
        needs: Some(Permission::WorkCustomers),
    },
    Screen {
        label: "KYC review",
        href: "/admin/kyc",
        key: "kyc",
        needs: Some(Permission::WorkCustomers),
    },
    Screen {
        label: "Transactions",
        href: "/admin/transactions",
        key: "transactions",
        needs: Some(Permission::ReadTransactions),
    },
    Screen {
        label: "Wallets",
        href: "/admin/wallets",
        key: "wallets",
        needs: Some(Permission::ReadWallets),
    },
    Screen {
        label: "Bonuses",
        href: "/admin/bonuses",
        key: "bonuses",
        needs: Some(Permission::ReadWallets),
    },
    Screen {
        label: "Payment providers",
        href: "/admin/payment-providers",
        key: "payment-providers",
        needs: Some(Permission::ReadPaymentProviders),
    },
    Screen {
        label: "Withdrawals",
        href: "/admin/withdrawals",
        key: "withdrawals",
        needs: Some(Permission::ReadTransactions),
    },
    Screen {
        label: "Instruments",
        href: "/admin/instruments",
        key: "instruments",
        needs: Some(Permission::ReadInstruments),
    },
    Screen {
        label: "Positions",
        href: "/admin/positions",
        key: "positions",
        needs: Some(Permission::ReadPositions),
    },
    Screen {
        label: "Introducers",
        href: "/admin/partners",
        key: "partners",
        needs: Some(Permission::ReadCommissions),
    },
    Screen {
        label: "Commissions",
        href: "/admin/commissions",
        key: "commissions",
        needs: Some(Permission::ReadCommissions),
    },
    Screen {
        label: "Payouts",
        href: "/admin/payouts",
        key: "payouts",
        needs: Some(Permission::ReadCommissions),
    },
    Screen {
        label: "Banners",
        href: "/admin/banners",
        key: "banners",
        needs: Some(Permission::ReadCommissions),
    },
    Screen {
        label: "Offers",
        href: "/admin/offers",
        key: "offers",
        needs: Some(Permission::ReadLeadDistribution),
    },
    Screen {
        label: "Advertisers",
        href: "/admin/advertisers",
        key: "advertisers",
        needs: Some(Permission::ReadLeadDistribution),
    },
    Screen {
        label: "Affiliate tokens",
        href: "/admin/affiliate-tokens",
        key: "affiliate-tokens",
        needs: Some(Permission::ReadLeadDistribution),
    },
    Screen {
        label: "Lead rules",
        href: "/admin/lead-rules",
        key: "lead-rules",
        needs: Some(Permission::ReadLeadDistribution),
    },
    Screen {
        label: "Sales setup",
        href: "/admin/sales-setup",
        key: "sales-setup",
        needs: Some(Permission::ReadSalesSetup),
    },
    Screen {
        label: "Users",
        href: "/admin/users",
        key: "users",
        needs: Some(Permission::ManageUsers),
    },
    Screen {
        label: "API keys",
        href: "/admin/api-keys",
        key: "api-keys",
        needs: Some(Permission::ManageApiKeys),
    },
    Screen {
        label: "Settings",
        href: "/admin/settings",
        key: "settings",
        needs: Some(Permission::ReadSettings),
    },
    Screen {
        label: "Market data",
        href: "/admin/market-data/applications",
        key: "market_data",
        needs: Some(Permission::ReadMarketData),
    },
    Screen {
        label: "Messages",
        href: "/admin/messages",
        key: "messages",
        needs: Some(Permission::SendMessages),
    },
    Screen {
        label: "E-mail templates",
        href: "/admin/email-templates",
        key: "email-templates",
        needs: Some(Permission::ManageEmailTemplates),
    },
    Screen { label: "Onboarding", href: "/admin/onboarding", key: "onboarding", needs: None },
    Screen {
        label: "Audit log",
        href: "/admin/audit",
        key: "audit",
        needs: Some(Permission::ReadActivities),
    },
];

/// The menu keys `role` sees.
pub fn menu_keys(role: Role) -> Vec<&'static str> {
    SCREENS.iter().filter(|s| s.needs.is_none_or(|p| role.can(p))).map(|s| s.key).collect()
}

/// One menu entry as rendered.
pub struct MenuItem {
    pub label: &'static str,
    pub href: &'static str,
    pub key: &'static str,
    pub current: bool,
}

/// What the frame needs.
pub struct Ctx {
    pub title: String,
    pub email: String,
    pub role: String,
    pub menu: Vec<MenuItem>,
    pub csrf: String,
    pub css: String,
    pub js: String,
    /// A confirmation to show once (from `?done=`).
    pub notice: Option<String>,
}

impl Ctx {
    /// The frame of screen `key` for `staff`.
    pub fn new(staff: &Staff, title: impl Into<String>, key: &str) -> Self {
        let role = staff.principal().role;
        Self {
            title: title.into(),
            email: staff.principal().email.clone(),
            role: role.as_str().replace('_', " "),
            menu: SCREENS
                .iter()
                .filter(|s| s.needs.is_none_or(|p| role.can(p)))
                .map(|s| MenuItem {
                    label: s.label,
                    href: s.href,
                    key: s.key,
                    current: s.key == key,
                })
                .collect(),
            csrf: staff.csrf(),
            css: crate::assets::url("app.css"),
            js: crate::assets::url("app.js"),
            notice: None,
        }
    }

    /// With a one-time confirmation message.
    pub fn notice(mut self, n: Option<String>) -> Self {
        self.notice = n;
        self
    }
}

/// `?done=`: what a form that just succeeded did.
#[derive(Deserialize, Default)]
pub struct DoneQuery {
    #[serde(default)]
    pub done: Option<String>,
}

/// The confirmation of a finished action (`?done=`), from a fixed list.
pub fn notice(done: Option<&str>) -> Option<String> {
    let text = match done? {
        "password" => "Your password was changed.",
        "comment" => "Comment added.",
        "status" => "Status changed.",
        "assign" => "Sales person changed.",
        "claim" => "Lead claimed.",
        "approved" => "Withdrawal approved.",
        "rejected" => "Withdrawal rejected.",
        "refunded" => "Withdrawal refunded.",
        "saved" => "Saved.",
        "created" => "Created.",
        "bulk" => "The leads were updated.",
        "deleted" => "Deleted.",
        "revoked" => "Revoked.",
        "role" => "Role changed; the user's sessions ended.",
        "enabled" => "Enabled.",
        "disabled" => "Disabled; the user's sessions and API keys stopped working.",
        "sent" => "Message sent.",
        "queued" => "Message queued for every customer.",
        "test" => "A test e-mail was queued to your address.",
        "kyc-approved" => "KYC approved.",
        "kyc-revoked" => "KYC approval revoked.",
        "kyc-reset" => "KYC reset.",
        "kyc-rejected" => "KYC rejected.",
        "kyc-retry" => "A new attempt was asked for.",
        "corrected" => "Correction posted: the difference was transferred.",
        "paid" => "Payout approved: the amount was paid into the wallet.",
        "declined" => "Payout rejected: the commission is available again.",
        "uploaded" => "Banner uploaded.",
        "closed" => "Position closed at the market.",
        "cancelled" => "Order cancelled, with its position.",
        "stops" => "Stops saved.",
        "moved" => "Order moved.",
        "quoted" => "Quote set.",
        "opened" => "Position opened.",
        _ => return None,
    };
    Some(text.to_owned())
}
