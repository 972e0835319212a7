//! Which customers a staff member may see: the one customer scope every context applies
//! (sales: comment, read communications, bookmark; money: wallets, transactions, coins).
//! It sits in identity, below the contexts that use it, so money applies it without
//! importing sales.
//!
//! Admins, risk and support see every customer. A manager sees the customers of their sales
//! desk. A conversion (retention) agent sees the customers of their desk and the customers
//! whose conversion (retention) agent they are. Affiliates and customers see none through
//! the staff API. A customer outside the scope is reported as not found, never as
//! forbidden, so the API does not confirm that it exists.

use crate::identity::auth::Role;

/// Who a customer is assigned to.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Assignment {
    pub desk_id: Option<i64>,
    pub conversion_agent_id: Option<i64>,
    pub retention_agent_id: Option<i64>,
}

/// The customers a staff member may see.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CustomerScope {
    /// Every customer.
    All,
    /// Customers of `desk_id` (if any), plus those assigned to `user_id` as conversion agent
    /// (`conversion`) or retention agent (`retention`).
    Limited { desk_id: Option<i64>, user_id: i64, conversion: bool, retention: bool },
}

impl CustomerScope {
    /// The scope of a staff member of `role`, id `user_id`, on desk `desk_id`; `None` for
    /// roles that do not work customers (affiliates, customers).
    pub fn of(role: Role, user_id: i64, desk_id: Option<i64>) -> Option<Self> {
        let limited =
            |conversion, retention| Self::Limited { desk_id, user_id, conversion, retention };
        match role {
            Role::Admin | Role::Risk | Role::Support => Some(Self::All),
            Role::Manager => Some(limited(false, false)),
            Role::ConversionAgent => Some(limited(true, false)),
            Role::RetentionAgent => Some(limited(false, true)),
            Role::Affiliate | Role::Customer => None,
        }
    }

    /// Whether a customer assigned as `a` is in this scope.
    pub fn allows(&self, a: &Assignment) -> bool {
        match *self {
            Self::All => true,
            Self::Limited { desk_id, user_id, conversion, retention } => {
                (desk_id.is_some() && a.desk_id == desk_id)
                    || (conversion && a.conversion_agent_id == Some(user_id))
                    || (retention && a.retention_agent_id == Some(user_id))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn a(desk: Option<i64>, conv: Option<i64>, ret: Option<i64>) -> Assignment {
        Assignment { desk_id: desk, conversion_agent_id: conv, retention_agent_id: ret }
    }

    #[test]
    fn admins_risk_and_support_see_all_and_outsiders_none() {
        for r in [Role::Admin, Role::Risk, Role::Support] {
            assert_eq!(CustomerScope::of(r, 1, None), Some(CustomerScope::All));
        }
        assert_eq!(CustomerScope::of(Role::Affiliate, 1, None), None);
        assert_eq!(CustomerScope::of(Role::Customer, 1, None), None);
    }

    #[test]
    fn manager_sees_own_desk_only() {
        let s = CustomerScope::of(Role::Manager, 7, Some(1)).unwrap_or(CustomerScope::All);
        assert!(s.allows(&a(Some(1), None, None)));
        assert!(!s.allows(&a(Some(2), Some(7), Some(7))));
        let deskless = CustomerScope::of(Role::Manager, 7, None).unwrap_or(CustomerScope::All);
        assert!(!deskless.allows(&a(None, None, None)));
    }

    #[test]
    fn agents_see_desk_and_own_assignments_by_role() {
        let conv =
            CustomerScope::of(Role::ConversionAgent, 7, Some(1)).unwrap_or(CustomerScope::All);
        assert!(conv.allows(&a(Some(1), None, None)));
        assert!(conv.allows(&a(Some(2), Some(7), None)));
        assert!(!conv.allows(&a(Some(2), None, Some(7))));
        let ret = CustomerScope::of(Role::RetentionAgent, 7, None).unwrap_or(CustomerScope::All);
        assert!(ret.allows(&a(None, None, Some(7))));
        assert!(!ret.allows(&a(None, Some(7), None)));
        assert!(!ret.allows(&a(None, None, None)));
    }
}
